// Issue 16.3: two-factor sign-in (TOTP) for local accounts: enrolment, codes, replay, throttling, recovery codes, admin reset, the organisation setting.
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { generateSync } from 'otplib'
import { afterEach, describe, expect, it } from 'vitest'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { rawRows, rawSql } from './support/raw-sql.ts'
import { addPerson, PASSWORD, type Session } from './support/world.ts'

const ADMIN_PASSWORD = 'admin-password-1'

describe.each(backends())('two-factor sign-in (%s)', (backend) => {
  let database: TestDatabase | undefined
  let server: TestServer | undefined
  // The server's clock: codes are made for it, and the test moves it past time steps and delays.
  let clock = Date.now()
  afterEach(async () => {
    await server?.close()
    await database?.drop()
    server = undefined
    database = undefined
  }, 60_000)

  const start = async (env: Record<string, string> = {}): Promise<FastifyInstance> => {
    clock = Date.now()
    database = await createTestDatabase(backend)
    return restart(env)
  }

  /** The same database under a server started anew with `env` (e.g. other token secrets). */
  const restart = async (env: Record<string, string>): Promise<FastifyInstance> => {
    await server?.close()
    server = await appOn(
      database as TestDatabase,
      { LINJA_LOGIN_RATE_LIMIT: '1000', ...env },
      { now: () => clock },
    )
    return server.app
  }

  /** The code an authenticator app shows at the server's time now. */
  const codeOf = (secret: string) => generateSync({ secret, epoch: Math.floor(clock / 1000) })
  const nextStep = () => {
    clock += 30_000
  }

  const post = (app: FastifyInstance, url: string, payload: object, from = '127.0.0.1') =>
    app.inject({ method: 'POST', url, payload, remoteAddress: from })

  const password = (app: FastifyInstance, username: string, pw = PASSWORD) =>
    post(app, '/api/auth/login', { username, password: pw, deviceName: 'tablet' })

  const asSession = (body: { accessToken: string; person: { id: string } }): Session => ({
    personId: body.person.id,
    accessToken: body.accessToken,
    refreshToken: '',
    deviceSessionId: '',
    headers: { authorization: `Bearer ${body.accessToken}`, 'x-linja-protocol': '1' },
  })

  /** Password, then enrolment: the secret and the recovery codes the person was shown. */
  const enrol = async (app: FastifyInstance, username: string, pw = PASSWORD) => {
    const step = await password(app, username, pw)
    expect(step.json()).toMatchObject({ secondFactor: 'enrol' })
    const pendingToken: string = step.json().pendingToken
    const shown = await post(app, '/api/auth/login/enrolment', { pendingToken })
    expect(shown.statusCode).toBe(200)
    const { secret } = shown.json()
    const done = await post(app, '/api/auth/login/enrolment/confirm', {
      pendingToken,
      code: codeOf(secret),
    })
    expect(done.statusCode).toBe(200)
    return {
      secret: secret as string,
      recoveryCodes: done.json().recoveryCodes as string[],
      session: asSession(done.json()),
    }
  }

  /** Password, then the code step: the pending token. */
  const codeStep = async (app: FastifyInstance, username: string, pw = PASSWORD) => {
    const step = await password(app, username, pw)
    expect(step.json()).toMatchObject({ secondFactor: 'code' })
    return step.json().pendingToken as string
  }

  const sessionsOf = async (personId: string) =>
    rawRows(
      database as TestDatabase,
      'select id from device_sessions where person_id = ? and revoked_at is null',
      [personId],
    )

  const auditActions = async (app: FastifyInstance, admin: Session) =>
    (await app.inject({ method: 'GET', url: '/api/admin/audit', headers: admin.headers }))
      .json<{ action: string; details: string | null }[]>()
      .map((a) => ({ action: a.action, details: a.details ? JSON.parse(a.details) : null }))

  const setForAll = async (app: FastifyInstance, admin: Session, on: boolean) => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: admin.headers,
      payload: { idleLockMinutes: 5, twoFactorForAll: on },
    })
    expect(res.statusCode).toBe(200)
  }

  it('an admin enrols before any device session: QR and secret, a first code, ten recovery codes; then a code at each sign-in', async () => {
    const app = await start()
    const first = await password(app, 'admin', ADMIN_PASSWORD)
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({
      secondFactor: 'enrol',
      pendingToken: expect.any(String),
      expiresAt: expect.any(String),
    })
    const pendingToken: string = first.json().pendingToken
    // The pending token opens nothing, and no device session exists yet.
    const sneak = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: { authorization: `Bearer ${pendingToken}` },
    })
    expect(sneak.statusCode).toBe(401)
    const adminId = (
      await rawRows(database as TestDatabase, 'select id from people where username = ?', ['admin'])
    )[0]?.id as string
    expect(await sessionsOf(adminId)).toEqual([])
    // A code before the enrolment has begun is refused.
    const early = await post(app, '/api/auth/login/enrolment/confirm', {
      pendingToken,
      code: '123456',
    })
    expect(early.json()).toMatchObject({ error: 'enrolment_not_started' })

    const shown = await post(app, '/api/auth/login/enrolment', { pendingToken })
    const { secret, otpauthUri, qrSvg } = shown.json()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(otpauthUri).toBe(`otpauth://totp/Linja:admin?secret=${secret}&issuer=Linja`)
    expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    // Asked again (a reload), the same secret.
    expect((await post(app, '/api/auth/login/enrolment', { pendingToken })).json().secret).toBe(
      secret,
    )

    const wrong = await post(app, '/api/auth/login/enrolment/confirm', {
      pendingToken,
      code: codeOf(secret) === '000000' ? '000001' : '000000',
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json()).toMatchObject({ error: 'wrong_code' })
    const done = await post(app, '/api/auth/login/enrolment/confirm', {
      pendingToken,
      code: codeOf(secret),
    })
    expect(done.statusCode).toBe(200)
    const codes: string[] = done.json().recoveryCodes
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const c of codes) expect(c).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    const admin = asSession(done.json())
    expect(await sessionsOf(admin.personId)).toHaveLength(1)

    // Used up: the pending sign-in gives nothing a second time.
    const again = await post(app, '/api/auth/login/enrolment', { pendingToken })
    expect(again.statusCode).toBe(401)
    expect(again.json()).toMatchObject({ error: 'sign_in_expired' })

    // The secret is never sent again, and is not stored as it was shown; recovery codes only as hashes.
    const people = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: admin.headers,
    })
    expect(people.body).not.toContain(secret)
    expect(people.json().find((p: { id: string }) => p.id === admin.personId).twoFactor).toBe(true)
    const stored = await rawRows(
      database as TestDatabase,
      'select totp_secret from people where id = ?',
      [admin.personId],
    )
    expect(String(stored[0]?.totp_secret)).not.toContain(secret)
    const hashes = await rawRows(
      database as TestDatabase,
      'select code_hash from recovery_codes where person_id = ?',
      [admin.personId],
    )
    expect(hashes).toHaveLength(10)
    expect(JSON.stringify(hashes)).not.toContain(codes[0]?.replace(/-/g, '').slice(0, 6))

    // Next sign-in: the password, then a code (next time step: the enrolment's code is spent).
    nextStep()
    const token = await codeStep(app, 'admin', ADMIN_PASSWORD)
    const signedIn = await post(app, '/api/auth/login/code', {
      pendingToken: token,
      code: codeOf(secret),
    })
    expect(signedIn.statusCode).toBe(200)
    expect(signedIn.json().person.username).toBe('admin')
    expect(await sessionsOf(admin.personId)).toHaveLength(2)
    const log = await auditActions(app, admin)
    expect(log.map((a) => a.action)).toEqual(
      expect.arrayContaining(['two_factor_enrolled', 'two_factor_failed', 'login']),
    )
    expect(log.find((a) => a.action === 'login')?.details).toEqual({ method: 'totp' })
  }, 30_000)

  it('a wrong code is refused; a code used once is refused again in its time step (replay)', async () => {
    const app = await start()
    const { secret, session: admin } = await enrol(app, 'admin', ADMIN_PASSWORD)
    // The code that confirmed the enrolment cannot sign in, even within its step.
    const token = await codeStep(app, 'admin', ADMIN_PASSWORD)
    const replay = await post(app, '/api/auth/login/code', {
      pendingToken: token,
      code: codeOf(secret),
    })
    expect(replay.statusCode).toBe(401)
    expect(replay.json()).toMatchObject({ error: 'code_replayed' })
    nextStep()
    const fresh = codeOf(secret)
    const ok = await post(app, '/api/auth/login/code', { pendingToken: token, code: fresh })
    expect(ok.statusCode).toBe(200)
    // Another tablet signing in with the very same code, within the step: refused.
    const other = await codeStep(app, 'admin', ADMIN_PASSWORD)
    const again = await post(app, '/api/auth/login/code', { pendingToken: other, code: fresh })
    expect(again.json()).toMatchObject({ error: 'code_replayed' })
    const wrong = await post(app, '/api/auth/login/code', { pendingToken: other, code: 'abcdef' })
    expect(wrong.json()).toMatchObject({ error: 'wrong_code' })
    expect(await sessionsOf(admin.personId)).toHaveLength(2)
    // Neither a code nor a recovery code: a clear 400; both: the same.
    const neither = await post(app, '/api/auth/login/code', { pendingToken: other })
    expect(neither.statusCode).toBe(400)
  }, 30_000)

  it('wrong codes slow down the person from every address, and the delay holds even for the right code', async () => {
    const app = await start()
    const { secret } = await enrol(app, 'admin', ADMIN_PASSWORD)
    nextStep()
    const token = await codeStep(app, 'admin', ADMIN_PASSWORD)
    const bad = codeOf(secret) === '111111' ? '222222' : '111111'
    for (let i = 0; i < 3; i++) {
      const res = await post(app, '/api/auth/login/code', { pendingToken: token, code: bad })
      expect(res.statusCode).toBe(401)
    }
    const slowed = await post(app, '/api/auth/login/code', {
      pendingToken: token,
      code: codeOf(secret),
    })
    expect(slowed.statusCode).toBe(429)
    expect(slowed.json()).toMatchObject({ error: 'rate_limited' })
    const wait = Number(slowed.headers['retry-after'])
    expect(wait).toBeGreaterThan(0)
    // From another address, with a new pending sign-in: the same wait.
    const elsewhere = await post(
      app,
      '/api/auth/login',
      { username: 'admin', password: ADMIN_PASSWORD, deviceName: 'x' },
      '203.0.113.9',
    )
    const viaElsewhere = await post(
      app,
      '/api/auth/login/code',
      { pendingToken: elsewhere.json().pendingToken, code: codeOf(secret) },
      '203.0.113.9',
    )
    expect(viaElsewhere.statusCode).toBe(429)
    clock += wait * 1000
    const ok = await post(app, '/api/auth/login/code', {
      pendingToken: token,
      code: codeOf(secret),
    })
    expect(ok.statusCode).toBe(200)
    const failures = (await auditActions(app, asSession(ok.json()))).filter(
      (a) => a.action === 'two_factor_failed',
    )
    expect(failures).toHaveLength(3)
    expect(failures[0]?.details).toMatchObject({ reason: 'wrong', waitSeconds: wait })
  }, 30_000)

  it('a lost phone: a recovery code signs in once, ends the old enrolment and asks for a new one', async () => {
    const app = await start()
    const old = await enrol(app, 'admin', ADMIN_PASSWORD)
    nextStep()
    const token = await codeStep(app, 'admin', ADMIN_PASSWORD)
    const recovered = await post(app, '/api/auth/login/code', {
      pendingToken: token,
      recoveryCode: ` ${old.recoveryCodes[3]?.toLowerCase()} `,
    })
    expect(recovered.statusCode).toBe(200)
    // An admin must have two factors: straight on to enrolment, still no device session.
    expect(recovered.json()).toEqual({
      secondFactor: 'enrol',
      pendingToken: token,
      expiresAt: expect.any(String),
    })
    expect(await sessionsOf(old.session.personId)).toHaveLength(1)
    const shown = await post(app, '/api/auth/login/enrolment', { pendingToken: token })
    const secret: string = shown.json().secret
    expect(secret).not.toBe(old.secret)
    const done = await post(app, '/api/auth/login/enrolment/confirm', {
      pendingToken: token,
      code: codeOf(secret),
    })
    expect(done.statusCode).toBe(200)
    // The old phone opens nothing; the used recovery code and its old siblings are refused.
    nextStep()
    const next = await codeStep(app, 'admin', ADMIN_PASSWORD)
    const oldPhone = await post(app, '/api/auth/login/code', {
      pendingToken: next,
      code: codeOf(old.secret),
    })
    expect(oldPhone.json()).toMatchObject({ error: 'wrong_code' })
    for (const used of [old.recoveryCodes[3], old.recoveryCodes[4]]) {
      const res = await post(app, '/api/auth/login/code', {
        pendingToken: next,
        recoveryCode: used,
      })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ error: 'wrong_recovery_code' })
    }
    clock += 60_000 // past the delay the wrong tries earned
    const log = await auditActions(app, asSession(done.json()))
    expect(log.map((a) => a.action)).toContain('two_factor_recovery_used')
  }, 30_000)

  it('when two factors are not required of the person, a recovery code signs in and ends the enrolment', async () => {
    const app = await start()
    const { session: admin } = await enrol(app, 'admin', ADMIN_PASSWORD)
    await addPerson(app, admin, 'pia', ['practitioner'])
    await setForAll(app, admin, true)
    const pia = await enrol(app, 'pia')
    await setForAll(app, admin, false)
    // Enrolled people keep their second factor when the organisation no longer asks it of all.
    const token = await codeStep(app, 'pia')
    const res = await post(app, '/api/auth/login/code', {
      pendingToken: token,
      recoveryCode: pia.recoveryCodes[0],
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().person.username).toBe('pia')
    const plain = await password(app, 'pia')
    expect(plain.json()).toHaveProperty('accessToken')
    await setForAll(app, admin, true)
    const enrolAgain = await password(app, 'pia')
    expect(enrolAgain.json()).toMatchObject({ secondFactor: 'enrol' })
  }, 30_000)

  it('the organisation setting: off, practitioners sign in with the password alone; on, they enrol first; admins always', async () => {
    const app = await start()
    const { session: admin } = await enrol(app, 'admin', ADMIN_PASSWORD)
    await addPerson(app, admin, 'pia', ['practitioner'])
    expect((await password(app, 'pia')).json()).toHaveProperty('accessToken')
    await setForAll(app, admin, true)
    const settings = await app.inject({
      method: 'GET',
      url: '/api/admin/settings',
      headers: admin.headers,
    })
    expect(settings.json().twoFactorForAll).toBe(true)
    const asked = await password(app, 'pia')
    expect(asked.json()).toEqual({
      secondFactor: 'enrol',
      pendingToken: expect.any(String),
      expiresAt: expect.any(String),
    })
    // A pending sign-in cannot skip its step, and expires.
    const skip = await post(app, '/api/auth/login/code', {
      pendingToken: asked.json().pendingToken,
      code: '123456',
    })
    expect(skip.json()).toMatchObject({ error: 'wrong_step' })
    clock += 11 * 60_000
    const late = await post(app, '/api/auth/login/enrolment', {
      pendingToken: asked.json().pendingToken,
    })
    expect(late.json()).toMatchObject({ error: 'sign_in_expired' })
    await setForAll(app, admin, false)
    expect((await password(app, 'pia')).json()).toHaveProperty('accessToken')
  }, 30_000)

  it('an admin resets a person’s two-factor (audited): they must enrol again; nobody else may', async () => {
    const app = await start()
    const { session: admin } = await enrol(app, 'admin', ADMIN_PASSWORD)
    const piaId = await addPerson(app, admin, 'pia', ['practitioner'])
    await addPerson(app, admin, 'ola', ['practitioner'])
    await setForAll(app, admin, true)
    const pia = await enrol(app, 'pia')
    const ola = await enrol(app, 'ola')
    const reset = (who: Session | null, id: string) =>
      app.inject({
        method: 'POST',
        url: `/api/admin/people/${id}/two-factor/reset`,
        headers: who ? who.headers : {},
      })
    expect((await reset(null, piaId)).statusCode).toBe(401)
    expect((await reset(ola.session, piaId)).statusCode).toBe(403)
    expect((await reset(pia.session, piaId)).statusCode).toBe(403)
    expect((await reset(admin, 'no-such-person')).statusCode).toBe(404)
    expect(await codeStep(app, 'pia')).toEqual(expect.any(String))

    const done = await reset(admin, piaId)
    expect(done.statusCode).toBe(200)
    expect((await reset(admin, piaId)).json()).toMatchObject({ error: 'not_enrolled' })
    const entry = (await auditActions(app, admin)).find((a) => a.action === 'two_factor_reset')
    expect(entry).toBeDefined()
    // Her tablets stay signed in; her next sign-in enrols a new phone.
    expect(await sessionsOf(piaId)).toHaveLength(1)
    expect((await password(app, 'pia')).json()).toMatchObject({ secondFactor: 'enrol' })
    const people = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: admin.headers,
    })
    expect(people.json().find((p: { id: string }) => p.id === piaId).twoFactor).toBe(false)
  }, 30_000)

  const OLD = 'the-token-secret-before-the-rotation-0123456789'
  const NEW = 'the-token-secret-after-the-rotation-0123456789'

  const signsInWithCode = async (app: FastifyInstance, username: string, secret: string) => {
    nextStep()
    const pendingToken = await codeStep(
      app,
      username,
      username === 'admin' ? ADMIN_PASSWORD : PASSWORD,
    )
    return post(app, '/api/auth/login/code', { pendingToken, code: codeOf(secret) })
  }

  it('a token-secret rotation, then the previous secret removed: a person enrolled before it still signs in with their code', async () => {
    let app = await start({ LINJA_TOKEN_SECRET: OLD })
    const { secret, session } = await enrol(app, 'admin', ADMIN_PASSWORD)
    // Nobody signs in while the previous secret is still configured (a holiday, a long leave).
    await restart({ LINJA_TOKEN_SECRET: NEW, LINJA_TOKEN_SECRET_PREVIOUS: OLD })
    app = await restart({ LINJA_TOKEN_SECRET: NEW })
    const res = await signsInWithCode(app, 'admin', secret)
    expect(res.statusCode).toBe(200)
    expect(res.json().person.id).toBe(session.personId)
    // What a copy of the database holds is not the secret the authenticator app was given.
    const [row] = await rawRows(database as TestDatabase, 'select * from people where id = ?', [
      session.personId,
    ])
    expect(JSON.stringify(row)).not.toContain(secret)
    expect(JSON.stringify(row)).not.toContain(secret.toLowerCase())
  }, 30_000)

  it('a sealed secret copied into another person’s row does not open there', async () => {
    const app = await start()
    const { session: admin, secret: adminSecret } = await enrol(app, 'admin', ADMIN_PASSWORD)
    const piaId = await addPerson(app, admin, 'pia', ['practitioner'])
    await setForAll(app, admin, true)
    await enrol(app, 'pia')
    // Someone who can write to the database puts the admin's enrolment on Pia, to sign in as her
    // with the admin's phone: the server refuses to read it.
    await rawSql(
      database as TestDatabase,
      'update people set totp_secret = (select totp_secret from people where id = ?) where id = ?',
      [admin.personId, piaId],
    )
    const res = await signsInWithCode(app, 'pia', adminSecret)
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ error: 'two_factor_unreadable' })
  }, 30_000)

  it('an upgrade re-seals the secrets an older server sealed with its token secret: codes keep working after the previous secret is removed', async () => {
    let app = await start({ LINJA_TOKEN_SECRET: OLD })
    const { session: admin, secret: adminSecret } = await enrol(app, 'admin', ADMIN_PASSWORD)
    const piaId = await addPerson(app, admin, 'pia', ['practitioner'])
    await setForAll(app, admin, true)
    const pia = await enrol(app, 'pia')
    // As an older server left them: the admin's sealed with the token secret of then, Pia's with
    // one already gone before the upgrade; and the upgrade not yet run.
    const db = database as TestDatabase
    await rawSql(db, 'update people set totp_secret = ? where id = ?', [
      sealedByOlderServer(adminSecret, OLD),
      admin.personId,
    ])
    await rawSql(db, 'update people set totp_secret = ? where id = ?', [
      sealedByOlderServer(pia.secret, 'a-token-secret-dropped-long-ago-0123456789'),
      piaId,
    ])
    // Migrations after 0020 are taken back too (Kysely runs them in order only); they create
    // their tables only if missing, so running them again changes nothing.
    await rawSql(db, 'delete from kysely_migration where name >= ?', [
      '0020_totp_sealed_with_secrets_key',
    ])
    // The upgrade starts during a rotation; then the previous secret is removed.
    await restart({ LINJA_TOKEN_SECRET: NEW, LINJA_TOKEN_SECRET_PREVIOUS: OLD })
    app = await restart({ LINJA_TOKEN_SECRET: NEW })
    const res = await signsInWithCode(app, 'admin', adminSecret)
    expect(res.statusCode).toBe(200)
    const sealedNow = async () =>
      (await rawRows(db, 'select totp_secret from people where id = ?', [admin.personId]))[0]
        ?.totp_secret
    expect(await sealedNow()).toMatch(/^s1\./)
    // During a rolling upgrade an instance not yet upgraded may still write the old format: it
    // opens, and is sealed with the secrets key at that person's next code.
    await rawSql(db, 'update people set totp_secret = ? where id = ?', [
      sealedByOlderServer(adminSecret, NEW),
      admin.personId,
    ])
    expect((await signsInWithCode(app, 'admin', adminSecret)).statusCode).toBe(200)
    expect(await sealedNow()).toMatch(/^s1\./)
    // Pia's could not be opened: the start went on, she still needs her second factor (a recovery
    // code, not the password alone), and the admin sees whom to reset.
    const refused = await signsInWithCode(app, 'pia', pia.secret)
    expect(refused.json()).toMatchObject({ error: 'two_factor_unreadable' })
    const recovered = await post(app, '/api/auth/login/code', {
      pendingToken: await codeStep(app, 'pia'),
      recoveryCode: pia.recoveryCodes[0],
    })
    expect(recovered.json()).toMatchObject({ secondFactor: 'enrol' })
    const entry = (await auditActions(app, asSession(res.json()))).find(
      (a) => a.action === 'two_factor_unreadable',
    )
    expect(entry).toBeDefined()
  }, 30_000)
})

/** A TOTP secret as servers before migration 0020 stored it: under a key from their token secret. */
function sealedByOlderServer(secret: string, tokenSecret: string): string {
  const key = Buffer.from(hkdfSync('sha256', tokenSecret, 'linja', 'totp-secret', 32))
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`
}
