// Issue 14.5: failed sign-ins slow down one (username, address), never the person elsewhere; TRUST_PROXY; the audit trail.
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { addPerson, login, PASSWORD, type Session } from './support/world.ts'

const ATTACKER = '203.0.113.7'
const PIA_AT_WORK = '198.51.100.20'

describe.each(backends())('sign-in delays (%s)', (backend) => {
  let server: TestServer | undefined
  let clock = Date.now()
  afterEach(async () => {
    await server?.close()
    server = undefined
  }, 60_000)

  const start = async (env: Record<string, string> = {}) => {
    clock = Date.now()
    // The per-address request limit is not under test here.
    server = await serverFor(
      backend,
      { LINJA_LOGIN_RATE_LIMIT: '1000', ...env },
      { now: () => clock },
    )
    const admin = await login(server.app, 'admin', 'admin-password-1')
    await addPerson(server.app, admin, 'pia', ['practitioner'])
    return { app: server.app, admin }
  }

  const signIn = (
    app: FastifyInstance,
    password: string,
    from: { remoteAddress?: string; forwardedFor?: string; refreshToken?: string } = {},
  ) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: from.remoteAddress ?? '127.0.0.1',
      headers: from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {},
      payload: {
        username: 'pia',
        password,
        deviceName: 'tablet',
        ...(from.refreshToken ? { refreshToken: from.refreshToken } : {}),
      },
    })

  /** Ten wrong passwords for pia from one address, waiting out each delay as asked. */
  const failTenTimes = async (app: FastifyInstance, from: Parameters<typeof signIn>[2]) => {
    let failures = 0
    while (failures < 10) {
      const res = await signIn(app, 'not-her-password', from)
      if (res.statusCode === 429) clock += Number(res.headers['retry-after']) * 1000
      else {
        expect(res.statusCode).toBe(401)
        failures += 1
      }
    }
  }

  it('14.5: an attacker failing ten times for pia at one address does not stop pia at another', async () => {
    const { app } = await start()
    await failTenTimes(app, { remoteAddress: ATTACKER })
    const attackerAgain = await signIn(app, PASSWORD, { remoteAddress: ATTACKER })
    expect(attackerAgain.statusCode).toBe(429)
    expect(attackerAgain.json()).toMatchObject({ error: 'rate_limited' })
    expect(Number(attackerAgain.headers['retry-after'])).toBeGreaterThan(60)
    const pia = await signIn(app, PASSWORD, { remoteAddress: PIA_AT_WORK })
    expect(pia.statusCode).toBe(200)
  }, 60_000)

  it('14.5: a tablet with a session of pia keeps refreshing and may sign in at the attacked address', async () => {
    const { app } = await start()
    const tablet: Session = await login(app, 'pia', PASSWORD)
    await failTenTimes(app, { remoteAddress: ATTACKER })
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      remoteAddress: ATTACKER,
      payload: { refreshToken: tablet.refreshToken },
    })
    expect(refreshed.statusCode).toBe(200)
    const refreshToken = refreshed.json<{ refreshToken: string }>().refreshToken
    expect((await signIn(app, PASSWORD, { remoteAddress: ATTACKER })).statusCode).toBe(429)
    const withSession = await signIn(app, PASSWORD, { remoteAddress: ATTACKER, refreshToken })
    expect(withSession.statusCode).toBe(200)
  }, 60_000)

  it('14.5: the wait doubles with each failure after three, up to 15 minutes, and a success resets it', async () => {
    const { app } = await start()
    const from = { remoteAddress: ATTACKER }
    for (let i = 0; i < 3; i++) expect((await signIn(app, 'wrong', from)).statusCode).toBe(401)
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      const blocked = await signIn(app, 'wrong', from)
      expect(blocked.statusCode).toBe(429)
      const seconds = Number(blocked.headers['retry-after'])
      waits.push(seconds)
      // One second early is still too early; the password is not even checked.
      clock += (seconds - 1) * 1000
      expect((await signIn(app, PASSWORD, from)).statusCode).toBe(429)
      clock += 1000
      expect((await signIn(app, 'wrong', from)).statusCode).toBe(401)
    }
    expect(waits).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900])
    clock += 900_000
    expect((await signIn(app, PASSWORD, from)).statusCode).toBe(200)
    // After a success, the next mistake is free again.
    expect((await signIn(app, 'wrong', from)).statusCode).toBe(401)
    expect((await signIn(app, PASSWORD, from)).statusCode).toBe(200)
  }, 60_000)

  it('14.5: without TRUST_PROXY, X-Forwarded-For is ignored (a made-up address escapes nothing)', async () => {
    const { app, admin } = await start()
    for (let i = 0; i < 3; i++) {
      const res = await signIn(app, 'wrong', { forwardedFor: `192.0.2.${i + 1}` })
      expect(res.statusCode).toBe(401)
    }
    const fourth = await signIn(app, PASSWORD, { forwardedFor: '192.0.2.99' })
    expect(fourth.statusCode).toBe(429)
    const entries = await failedSignIns(app, admin)
    expect(entries.map((e) => e.ip)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1'])
  }, 60_000)

  it('14.5: behind TRUST_PROXY the client address from X-Forwarded-For is the one counted and audited', async () => {
    const { app, admin } = await start({ TRUST_PROXY: '127.0.0.1' })
    const viaProxy = (forwardedFor: string) => ({ remoteAddress: '127.0.0.1', forwardedFor })
    for (let i = 0; i < 3; i++) {
      expect((await signIn(app, 'wrong', viaProxy(ATTACKER))).statusCode).toBe(401)
    }
    expect((await signIn(app, PASSWORD, viaProxy(ATTACKER))).statusCode).toBe(429)
    // Pia behind the same municipal proxy is another client.
    expect((await signIn(app, PASSWORD, viaProxy(PIA_AT_WORK))).statusCode).toBe(200)
    const entries = await failedSignIns(app, admin)
    expect(entries.map((e) => e.ip)).toEqual([ATTACKER, ATTACKER, ATTACKER])
  }, 60_000)

  it('14.5: each failed sign-in is in the audit log under the person, with the address and no password', async () => {
    const { app, admin } = await start()
    await signIn(app, 'secret-guess-1', { remoteAddress: ATTACKER })
    await signIn(app, 'secret-guess-2', { remoteAddress: ATTACKER })
    const entries = await failedSignIns(app, admin)
    expect(entries).toHaveLength(2)
    for (const e of entries) {
      expect(e).toMatchObject({ action: 'login_failed', actorId: null, ip: ATTACKER })
      expect(JSON.stringify(e)).not.toContain('secret-guess')
      expect(JSON.parse(e.details ?? '{}')).toMatchObject({ username: 'pia' })
    }
  }, 60_000)
})

interface AuditRow {
  action: string
  actorId: string | null
  target: string | null
  ip: string | null
  details: string | null
}

/** The administrator's audit search for pia, failed sign-ins only, oldest first. */
async function failedSignIns(app: FastifyInstance, admin: Session): Promise<AuditRow[]> {
  const people = await app.inject({
    method: 'GET',
    url: '/api/admin/people',
    headers: admin.headers,
  })
  const pia = people.json<{ id: string; username: string }[]>().find((p) => p.username === 'pia')
  const res = await app.inject({
    method: 'GET',
    url: `/api/admin/audit?personId=${pia?.id}&action=login_failed`,
    headers: admin.headers,
  })
  expect(res.statusCode).toBe(200)
  return res.json<AuditRow[]>().reverse()
}
