// Issue 14.6: refresh-token reuse ends the device session, rotation has one winner, sessions expire, a password change signs out the rest.
import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  appOn,
  backends,
  createTestDatabase,
  pgAvailable,
  serverFor,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { addPerson, login, PASSWORD, type Session } from './support/world.ts'

const DAY = 24 * 60 * 60 * 1000

const refresh = (app: FastifyInstance, refreshToken: string) =>
  app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } })

const pull = (app: FastifyInstance, accessToken: string) =>
  app.inject({
    method: 'GET',
    url: '/api/sync/pull',
    headers: { authorization: `Bearer ${accessToken}`, 'x-linja-protocol': '1' },
  })

describe.each(backends())('refresh tokens (%s)', (backend) => {
  let server: TestServer | undefined
  let clock = Date.now()
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  const start = async () => {
    clock = Date.now()
    server = await serverFor(backend, {}, { now: () => clock })
    const admin = await login(server.app, 'admin', 'admin-password-1')
    await addPerson(server.app, admin, 'pia', ['practitioner'])
    return { app: server.app, admin, pia: await login(server.app, 'pia', PASSWORD) }
  }

  it('14.6a: a thief who refreshes first is shut out once the tablet presents its old token', async () => {
    const { app, admin, pia } = await start()
    // The thief refreshes twice with the stolen token: the tablet's copy is now two rotations old.
    const first = await refresh(app, pia.refreshToken)
    expect(first.statusCode).toBe(200)
    const second = await refresh(app, first.json().refreshToken)
    expect(second.statusCode).toBe(200)
    const thief = second.json<{ refreshToken: string; accessToken: string }>()

    clock += 60_000
    const tablet = await refresh(app, pia.refreshToken)
    expect(tablet.statusCode).toBe(401)
    expect(tablet.json()).toMatchObject({ error: 'session_revoked_reuse' })

    const thiefRefresh = await refresh(app, thief.refreshToken)
    expect(thiefRefresh.statusCode).toBe(401)
    expect(thiefRefresh.json()).toMatchObject({ error: 'session_revoked_reuse' })
    const thiefPull = await pull(app, thief.accessToken)
    expect(thiefPull.statusCode).toBe(401)
    expect(thiefPull.json()).toMatchObject({ error: 'session_revoked_reuse' })

    const audit = await app.inject({
      method: 'GET',
      url: `/api/admin/audit?personId=${pia.personId}&action=refresh_reused`,
      headers: admin.headers,
    })
    expect(audit.json()).toHaveLength(1)
    // Pia signs in again and works as before.
    const again = await login(app, 'pia', PASSWORD)
    expect((await pull(app, again.accessToken)).statusCode).toBe(200)
  }, 60_000)

  it('14.6a: a thief presenting a token the tablet already rotated ends that session too', async () => {
    const { app, pia } = await start()
    const tablet = await refresh(app, pia.refreshToken)
    expect(tablet.statusCode).toBe(200)
    clock += 60_000
    const thief = await refresh(app, pia.refreshToken)
    expect(thief.json()).toMatchObject({ error: 'session_revoked_reuse' })
    const next = await refresh(app, tablet.json().refreshToken)
    expect(next.statusCode).toBe(401)
    expect(next.json()).toMatchObject({ error: 'session_revoked_reuse' })
  }, 60_000)

  it('14.6b: racing refreshes of one device: exactly one wins, the others are not taken for theft', async () => {
    const { app, pia } = await start()
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => refresh(app, pia.refreshToken)),
    )
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1)
    // The others were a race of one device's requests, not a theft: the session lives on.
    for (const loser of answers.filter((a) => a.statusCode !== 200)) {
      expect(loser.json()).toMatchObject({ error: 'unauthorised' })
    }
    const winner = answers.find((a) => a.statusCode === 200)?.json().refreshToken as string
    expect((await refresh(app, winner)).statusCode).toBe(200)
  }, 60_000)

  it('14.6c: a device session unused for longer than the idle limit needs a new sign-in', async () => {
    const { app, pia } = await start()
    clock += 29 * DAY
    const inTime = await refresh(app, pia.refreshToken)
    expect(inTime.statusCode).toBe(200)
    clock += 30 * DAY + 60_000
    const late = await refresh(app, inTime.json().refreshToken)
    expect(late.statusCode).toBe(401)
    expect(late.json()).toMatchObject({ error: 'session_expired' })
    expect((await login(app, 'pia', PASSWORD)).accessToken).toEqual(expect.any(String))
  }, 60_000)

  it('14.6c: a device session used every day still ends at the absolute limit', async () => {
    const { app, pia } = await start()
    let token = pia.refreshToken
    for (let day = 20; day <= 180; day += 20) {
      clock += 20 * DAY
      const res = await refresh(app, token)
      expect(res.statusCode, `day ${day}`).toBe(200)
      token = res.json().refreshToken
    }
    clock += DAY
    const late = await refresh(app, token)
    expect(late.statusCode).toBe(401)
    expect(late.json()).toMatchObject({ error: 'session_expired' })
  }, 60_000)

  it('14.6c: the administrator sets the limits; bad limits are refused and change nothing', async () => {
    const { app, admin, pia } = await start()
    const put = (body: Record<string, unknown>) =>
      app.inject({
        method: 'PUT',
        url: '/api/admin/settings',
        headers: admin.headers,
        payload: { idleLockMinutes: 5, ...body },
      })
    const tooLong = await put({ sessionIdleDays: 200, sessionMaxDays: 100 })
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json()).toMatchObject({ error: 'session_limits_order' })
    expect((await put({ sessionIdleDays: 0 })).statusCode).toBe(400)
    expect((await put({ sessionMaxDays: 5000 })).statusCode).toBe(400)
    const read = await app.inject({
      method: 'GET',
      url: '/api/admin/settings',
      headers: admin.headers,
    })
    expect(read.json()).toMatchObject({ sessionIdleDays: 30, sessionMaxDays: 180 })

    const ok = await put({ sessionIdleDays: 2, sessionMaxDays: 10 })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ sessionIdleDays: 2, sessionMaxDays: 10 })
    // A settings form that does not send them keeps them.
    expect((await put({})).json()).toMatchObject({ sessionIdleDays: 2, sessionMaxDays: 10 })
    clock += 3 * DAY
    expect((await refresh(app, pia.refreshToken)).json()).toMatchObject({
      error: 'session_expired',
    })
  }, 60_000)

  it('14.6d: changing one’s own password ends one’s other device sessions, not this one', async () => {
    const { app, pia } = await start()
    const other: Session = await login(app, 'pia', PASSWORD, 'second tablet')
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: pia.headers,
      payload: { currentPassword: PASSWORD, newPassword: 'a-brand-new-password' },
    })
    expect(changed.statusCode).toBe(200)
    expect((await pull(app, other.accessToken)).statusCode).toBe(401)
    expect((await refresh(app, other.refreshToken)).statusCode).toBe(401)
    expect((await pull(app, pia.accessToken)).statusCode).toBe(200)
    expect((await refresh(app, pia.refreshToken)).statusCode).toBe(200)
  }, 60_000)
})

// 14.6b with real concurrency: two instances on one PostgreSQL, refreshes racing from both.
describe.skipIf(!pgAvailable())('14.6b: two instances on one PostgreSQL, one refresh token', () => {
  let database: TestDatabase
  let a: TestServer
  let b: TestServer
  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    a = await appOn(database)
    b = await appOn(database)
  }, 60_000)
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await database?.drop()
  })

  it('14.6b: of twenty racing refreshes with one token exactly one gets a new token, in five rounds', async () => {
    let session = await login(a.app, 'admin', 'admin-password-1')
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          refresh(i % 2 === 0 ? a.app : b.app, session.refreshToken),
        ),
      )
      const winners = answers.filter((r) => r.statusCode === 200)
      expect(winners, `round ${round}`).toHaveLength(1)
      const next = winners[0]?.json<{ refreshToken: string; accessToken: string }>()
      if (!next) throw new Error('no winner')
      session = { ...session, refreshToken: next.refreshToken, accessToken: next.accessToken }
      const people = await b.app.inject({
        method: 'GET',
        url: '/api/admin/people',
        headers: { authorization: `Bearer ${session.accessToken}` },
      })
      expect(people.statusCode).toBe(200)
    }
  }, 120_000)
})
