import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device } from './support/ops.ts'
import { injectPost, passSecondFactor } from './support/two-factor.ts'
import { addPerson, login, makeWorld, PASSWORD } from './support/world.ts'

describe.each(backends())('auth (%s)', (backend) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  const start = async () => {
    server = await serverFor(backend)
    return server.app
  }

  it('S3: login answers a device session; a wrong password answers 401 and is audited', async () => {
    const app = await start()
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ADMIN', password: 'admin-password-1', deviceName: 'Nettbrett 3' },
    })
    expect(ok.statusCode).toBe(200)
    // An admin always shows a second factor before any device session: enrolment, the first time.
    expect(ok.json()).toEqual({
      secondFactor: 'enrol',
      pendingToken: expect.any(String),
      expiresAt: expect.any(String),
    })
    const body = (await passSecondFactor(injectPost(app), 'admin', ok.json())) as {
      accessToken: string
    }
    expect(body).toMatchObject({
      person: { username: 'admin', displayName: 'Administrator', roles: ['admin'] },
      serverEpoch: expect.any(String),
      deviceSessionId: expect.any(String),
    })
    expect(body.accessToken.split('.')).toHaveLength(2)
    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'wrong', deviceName: 'x' },
    })
    expect(bad.statusCode).toBe(401)
    expect(bad.json()).toEqual({ error: 'invalid_credentials', message: expect.any(String) })
    const audit = await app.inject({
      method: 'GET',
      url: '/api/admin/audit',
      headers: { authorization: `Bearer ${body.accessToken}` },
    })
    expect(audit.json().map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['login', 'login_failed', 'admin_created']),
    )
  })

  it('S3: failed logins slow down that address for that username with 429 rate_limited and Retry-After', async () => {
    const app = await start()
    const attempt = (password: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password, deviceName: 'x' },
      })
    for (let i = 0; i < 3; i++) expect((await attempt('nope')).statusCode).toBe(401)
    const slowed = await attempt('admin-password-1')
    expect(slowed.statusCode).toBe(429)
    expect(slowed.json()).toMatchObject({ error: 'rate_limited' })
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('S3: refresh rotates the refresh token; logout ends the session', async () => {
    const app = await start()
    const s = await login(app, 'admin', 'admin-password-1')
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: s.refreshToken },
    })
    expect(refreshed.statusCode).toBe(200)
    const reuse = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: s.refreshToken },
    })
    expect(reuse.statusCode).toBe(401)
    const headers = { authorization: `Bearer ${refreshed.json().accessToken}` }
    expect(
      (await app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode,
    ).toBe(200)
    const after = await app.inject({ method: 'GET', url: '/api/admin/people', headers })
    expect(after.statusCode).toBe(401)
  })

  it('S3: a password change needs the current password and makes the new one work', async () => {
    const app = await start()
    const s = await login(app, 'admin', 'admin-password-1')
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: s.headers,
      payload: { currentPassword: 'nope', newPassword: 'a-brand-new-password' },
    })
    expect(wrong.statusCode).toBe(403)
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: s.headers,
      payload: { currentPassword: 'admin-password-1', newPassword: 'a-brand-new-password' },
    })
    expect(ok.statusCode).toBe(200)
    await expect(login(app, 'admin', 'admin-password-1')).rejects.toThrow(/401/)
    await login(app, 'admin', 'a-brand-new-password')
  })

  it('S3: a revoked device gets 401 device_revoked with wipe:true, on requests and on refresh', async () => {
    const app = await start()
    const world = await makeWorld(app)
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/admin/tablets/${world.pia.deviceSessionId}/revoke`,
      headers: world.admin.headers,
    })
    expect(revoke.statusCode).toBe(200)
    const device = new Device()
    const push = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: world.pia.headers,
      payload: device.body(caseOps(device, world.pia.personId).ops),
    })
    expect(push.statusCode).toBe(401)
    expect(push.json()).toMatchObject({ error: 'device_revoked', wipe: true })
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: world.pia.refreshToken },
    })
    expect(refresh.json()).toMatchObject({ error: 'device_revoked', wipe: true })
    // Her other devices are untouched.
    const other = await login(app, 'pia', PASSWORD, 'second tablet')
    expect(
      (await app.inject({ method: 'GET', url: '/api/sync/pull', headers: other.headers }))
        .statusCode,
    ).toBe(200)
  })

  it('S3: deactivating a person revokes every device session at once and blocks login', async () => {
    const app = await start()
    const admin = await login(app, 'admin', 'admin-password-1')
    const id = await addPerson(app, admin, 'kari', ['practitioner'])
    const a = await login(app, 'kari', PASSWORD, 'tablet A')
    const b = await login(app, 'kari', PASSWORD, 'tablet B')
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/people/${id}/deactivate`,
      headers: admin.headers,
    })
    expect(res.statusCode).toBe(200)
    for (const s of [a, b]) {
      const pull = await app.inject({ method: 'GET', url: '/api/sync/pull', headers: s.headers })
      expect(pull.statusCode).toBe(401)
      expect(pull.json()).toMatchObject({ error: 'account_deactivated', wipe: true })
    }
    await expect(login(app, 'kari', PASSWORD)).rejects.toThrow(/401/)
    // The administrator's tablets list: both of kari's tablets, no longer in use by anyone.
    const tablets = await app.inject({ url: '/api/admin/tablets', headers: admin.headers })
    const karis = tablets
      .json<{ name: string; active: boolean; people: string[] }[]>()
      .filter((t) => t.name === 'tablet A' || t.name === 'tablet B')
    expect(karis).toHaveLength(2)
    expect(karis.every((t) => !t.active && t.people.length === 0)).toBe(true)
  })

  it('S3: a forged or expired-looking token is refused with 401', async () => {
    const app = await start()
    const s = await login(app, 'admin', 'admin-password-1')
    const [body] = s.accessToken.split('.')
    const notJson = Buffer.from('not json').toString('base64url')
    for (const token of ['x', `${body}.${body}.${body}`, `${notJson}.sig`]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/admin/people',
        headers: { authorization: `Bearer ${token}` },
      })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ error: 'unauthorised' })
    }
    // Well formed but signed by no secret this server holds (forged, or a retired secret): the
    // device is sent to its refresh token, which a forger does not have.
    const forged = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: { authorization: `Bearer ${body}.forged` },
    })
    expect(forged.statusCode).toBe(401)
    expect(forged.json()).toMatchObject({ error: 'token_expired' })
  })
})
