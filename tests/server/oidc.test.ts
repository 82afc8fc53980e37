import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { en } from '../../src/i18n/locales/en.ts'
import { nb } from '../../src/i18n/locales/nb.ts'
import { secretsKeyFrom } from '../../sync-server/src/auth/secrets-key.ts'
import { ConfigError, loadConfig } from '../../sync-server/src/config.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { migrations } from '../../sync-server/src/db/migrations.ts'
import {
  appOn,
  backends,
  createTestDatabase,
  serverFor,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import {
  type ProviderProcess,
  signInAtProvider,
  startProvider,
} from './support/oidc-provider-process.ts'
import { rawRows, rawSql } from './support/raw-sql.ts'
import { login, type Session } from './support/world.ts'

// Where tablets open Linja in these tests (never contacted: the test carries the redirects).
const BASE = 'http://127.0.0.1:9'
const SOCIAL = '6f1c7a52-0d0e-4b7c-9a51-1c2b3d4e5f60'
const LEADERS = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d'
const CANTEEN = 'ffffffff-0000-4000-8000-000000000000'
const person = (oid: string, name: string, groups: string[], codeTtl?: number) => ({
  oid,
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@kommune.no`,
  groups,
  ...(codeTtl ? { codeTtl } : {}),
})

// Linja's keys for the private_key_jwt client; the provider knows their public halves.
const RSA_KID = 'linja-helseid-2026'
const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const privateJwk = (pair: { privateKey: KeyObject }) => pair.privateKey.export({ format: 'jwk' })

let provider: ProviderProcess
beforeAll(async () => {
  provider = await startProvider({
    jwtClientKeys: [
      { ...rsaKey.publicKey.export({ format: 'jwk' }), kid: RSA_KID, alg: 'RS256', use: 'sig' },
      { ...ecKey.publicKey.export({ format: 'jwk' }), kid: 'linja-ec', alg: 'ES256', use: 'sig' },
    ],
    redirectUris: [`${BASE}/api/auth/oidc/callback`],
    accounts: {
      kari: person('oid-kari', 'Kari Nordmann', [CANTEEN, SOCIAL]),
      lise: person('oid-lise', 'Lise Leder', [LEADERS, SOCIAL]),
      olav: person('oid-olav', 'Olav Kantine', [CANTEEN]),
      sigrid: person('oid-sigrid', 'Sigrid Sein', [SOCIAL], 1),
      // In too many groups for a token: Entra sends a pointer to Microsoft Graph, or `hasgroups`.
      gunnar: { ...person('oid-gunnar', 'Gunnar Mange', [SOCIAL]), overage: 'claim_sources' },
      hanne: { ...person('oid-hanne', 'Hanne Mange', [SOCIAL]), overage: 'hasgroups' },
    },
  })
}, 60_000)
afterAll(async () => {
  await provider?.stop()
})

const tablet = () => {
  const secret = randomBytes(32).toString('base64url')
  return { secret, hash: createHash('sha256').update(secret).digest('base64url') }
}

describe.each(backends())(
  'sign-in with the municipality account (%s)',
  { timeout: 30_000 },
  (backend) => {
    let server: TestServer
    let app: FastifyInstance
    let admin: Session
    let unitId: string
    let offsetMs = 0

    const oidcEnv = () => ({
      LINJA_OIDC_ISSUER: provider.issuer,
      LINJA_OIDC_CLIENT_ID: provider.clientId,
      LINJA_OIDC_CLIENT_SECRET: provider.clientSecret,
      LINJA_OIDC_REDIRECT_BASE_URL: BASE,
    })
    beforeAll(async () => {
      server = await serverFor(backend, oidcEnv(), { now: () => Date.now() + offsetMs })
      app = server.app
      admin = await login(app, 'admin', 'admin-password-1')
      const post = (url: string, payload: Record<string, string>) =>
        app.inject({ method: 'POST', url, headers: admin.headers, payload })
      unitId = (await post('/api/admin/units', { name: 'Barnevern' })).json<{ id: string }>().id
      await post('/api/admin/directory-groups', { groupId: SOCIAL, role: 'practitioner', unitId })
      await post('/api/admin/directory-groups', { groupId: LEADERS, role: 'leader' })
    }, 60_000)
    afterAll(async () => {
      await server?.close()
    })

    async function start(hash: string) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/oidc/start',
        payload: { tabletHash: hash },
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<{ authorizationUrl: string }>().authorizationUrl
    }
    /** The provider's return into Linja: where Linja then sends the tablet's browser. */
    async function callback(returned: URL) {
      const res = await app.inject({ method: 'GET', url: `${returned.pathname}${returned.search}` })
      expect(res.statusCode).toBe(303)
      const location = new URL(String(res.headers.location))
      expect(`${location.origin}${location.pathname}`).toBe(`${BASE}/account`)
      expect(location.search).toBe('')
      return new URLSearchParams(location.hash.slice(1))
    }
    const exchange = (code: string, secret: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/oidc/exchange',
        payload: { code, tabletSecret: secret, deviceName: 'Nettbrett 3', deviceId: 'dev-kari' },
      })
    const people = async () =>
      (await app.inject({ method: 'GET', url: '/api/admin/people', headers: admin.headers })).json<
        { id: string; username: string; displayName: string; roles: string[]; unitIds: string[] }[]
      >()
    const refusals = async () =>
      (
        await app.inject({
          method: 'GET',
          url: '/api/admin/audit?action=login_refused',
          headers: admin.headers,
        })
      )
        .json<{ details: string }[]>()
        .map((a) => JSON.parse(a.details) as { reason: string })

    it('a person in a mapped group gets an account with its role and unit at first sign-in, and a device session as after a password', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/auth/oidc' })).json()).toEqual({
        enabled: true,
      })
      const t = tablet()
      const authorizationUrl = await start(t.hash)
      // PKCE S256 and a nonce go to the provider; the tablet's secret never does.
      const asked = new URL(authorizationUrl).searchParams
      expect(asked.get('code_challenge_method')).toBe('S256')
      expect(asked.get('nonce')).toBeTruthy()
      expect(authorizationUrl).not.toContain(t.secret)
      const back = await callback(await signInAtProvider(authorizationUrl, 'kari'))
      const code = back.get('oidc') ?? ''
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/)

      const res = await exchange(code, t.secret)
      expect(res.statusCode, res.body).toBe(200)
      const session = res.json<{
        accessToken: string
        refreshToken: string
        recoverySecret: string
        person: { id: string; displayName: string; roles: string[] }
      }>()
      expect(session.person).toMatchObject({
        displayName: 'Kari Nordmann',
        roles: ['practitioner'],
      })
      expect(session.recoverySecret).toMatch(/^[A-Za-z0-9_-]{43}$/)
      // The device session works as any other: pull, and refresh.
      const pull = await app.inject({
        method: 'GET',
        url: '/api/sync/pull?limit=10',
        headers: { authorization: `Bearer ${session.accessToken}`, 'x-linja-protocol': '1' },
      })
      expect(pull.statusCode).toBe(200)
      const refreshed = await app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        payload: { refreshToken: session.refreshToken },
      })
      expect(refreshed.statusCode).toBe(200)
      expect((await people()).find((p) => p.id === session.person.id)).toMatchObject({
        username: 'kari.nordmann',
        roles: ['practitioner'],
        unitIds: [unitId],
      })
      // The code is single use.
      expect((await exchange(code, t.secret)).json()).toMatchObject({
        error: 'oidc_exchange_invalid',
      })

      // Lise's two groups give both roles; Kari signing in again is the same person, same secret.
      const l = tablet()
      const lise = await exchange(
        (await callback(await signInAtProvider(await start(l.hash), 'lise'))).get('oidc') ?? '',
        l.secret,
      )
      expect(lise.json<{ person: { roles: string[] } }>().person.roles).toEqual([
        'leader',
        'practitioner',
      ])
      const k = tablet()
      const again = await exchange(
        (await callback(await signInAtProvider(await start(k.hash), 'kari'))).get('oidc') ?? '',
        k.secret,
      )
      expect(again.json()).toMatchObject({
        person: { id: session.person.id },
        recoverySecret: session.recoverySecret,
      })
      expect((await people()).filter((p) => p.displayName === 'Kari Nordmann')).toHaveLength(1)
      const logins = (
        await app.inject({
          method: 'GET',
          url: `/api/admin/audit?action=login&personId=${session.person.id}`,
          headers: admin.headers,
        })
      ).json<{ details: string }[]>()
      expect(logins.map((a) => a.details)).toEqual([
        JSON.stringify({ method: 'oidc' }),
        JSON.stringify({ method: 'oidc' }),
      ])
    })

    it('a person in no mapped group is refused with no account made, and the refusal is in the audit log', async () => {
      const before = (await people()).length
      const t = tablet()
      const back = await callback(await signInAtProvider(await start(t.hash), 'olav'))
      expect(back.get('oidc')).toBeNull()
      expect(back.get('oidc-error')).toBe('no_access')
      expect((await people()).length).toBe(before)
      expect(await refusals()).toContainEqual(expect.objectContaining({ reason: 'no_access' }))
    })

    it("a person in too many groups (Entra's group overage) is refused with words that say what to do, and no account is made", async () => {
      const before = (await people()).length
      for (const name of ['gunnar', 'hanne']) {
        const back = await callback(await signInAtProvider(await start(tablet().hash), name))
        expect([name, back.get('oidc')]).toEqual([name, null])
        expect([name, back.get('oidc-error')]).toEqual([name, 'groups_overage'])
      }
      expect((await people()).length).toBe(before)
      expect((await refusals()).filter((r) => r.reason === 'groups_overage')).toHaveLength(2)
      // The tablet shows the refusal's words: the administrator gives the person's groups to the app.
      expect(nb.oidc.failure.groups_overage).toMatch(
        /Be administratoren gi gruppene dine til Linja/,
      )
      expect(en.oidc.failure.groups_overage).toMatch(/Ask the administrator to assign your groups/)
    })

    it('a replayed return, a wrong state, a wrong nonce and an expired provider code get no session', async () => {
      // Wrong state: the return matches no sign-in this server started.
      const t = tablet()
      const returned = await signInAtProvider(await start(t.hash), 'kari')
      const forged = new URL(returned)
      forged.searchParams.set('state', 'not-the-state-linja-sent')
      expect((await callback(forged)).get('oidc-error')).toBe('sign_in_expired')
      // The real return still works once; the same return again (replay) does not.
      expect((await callback(returned)).get('oidc')).toBeTruthy()
      const replay = await callback(returned)
      expect(replay.get('oidc-error')).toBe('sign_in_expired')
      expect(replay.get('oidc')).toBeNull()

      // Wrong nonce: the ID token answers another request than the one Linja made.
      const n = tablet()
      const url = new URL(await start(n.hash))
      url.searchParams.set('nonce', 'a-nonce-linja-never-sent')
      expect((await callback(await signInAtProvider(url.href, 'kari'))).get('oidc-error')).toBe(
        'token_rejected',
      )

      // Sigrid's codes live one second at the provider: a late return is refused by the provider.
      const e = tablet()
      const late = await signInAtProvider(await start(e.hash), 'sigrid')
      await new Promise((r) => setTimeout(r, 1_600))
      expect((await callback(late)).get('oidc-error')).toBe('code_rejected')
      expect((await people()).some((p) => p.displayName === 'Sigrid Sein')).toBe(false)
      const reasons = (await refusals()).map((r) => r.reason)
      expect(reasons).toEqual(
        expect.arrayContaining(['sign_in_expired', 'token_rejected', 'code_rejected']),
      )
    })

    it('the exchange code works only for the tablet that started, once, within a minute', async () => {
      const t = tablet()
      const code = (await callback(await signInAtProvider(await start(t.hash), 'kari'))).get('oidc')
      // Another tablet (or someone who saw the address) cannot use it, and it is then used up.
      const stolen = await exchange(code ?? '', tablet().secret)
      expect(stolen.statusCode).toBe(400)
      expect(stolen.json()).toMatchObject({ error: 'oidc_exchange_invalid' })
      expect((await exchange(code ?? '', t.secret)).statusCode).toBe(400)

      const u = tablet()
      const slow = (await callback(await signInAtProvider(await start(u.hash), 'kari'))).get('oidc')
      offsetMs = 61_000
      try {
        expect((await exchange(slow ?? '', u.secret)).json()).toMatchObject({
          error: 'oidc_exchange_invalid',
        })
      } finally {
        offsetMs = 0
      }
    })
  },
)

/** A sign-in at the provider as `login`, up to Linja's answer to the provider's return. */
async function providerReturn(app: FastifyInstance, login: string) {
  const t = tablet()
  const started = await app.inject({
    method: 'POST',
    url: '/api/auth/oidc/start',
    payload: { tabletHash: t.hash },
  })
  const returned = await signInAtProvider(
    started.json<{ authorizationUrl: string }>().authorizationUrl,
    login,
  )
  const back = await app.inject({ method: 'GET', url: `${returned.pathname}${returned.search}` })
  return {
    back: new URLSearchParams(new URL(String(back.headers.location)).hash.slice(1)),
    tabletSecret: t.secret,
  }
}

/** A whole sign-in at the provider as `login`, from the tablet's start to the exchange answer. */
async function signInWithProvider(app: FastifyInstance, login: string) {
  const { back, tabletSecret } = await providerReturn(app, login)
  return app.inject({
    method: 'POST',
    url: '/api/auth/oidc/exchange',
    payload: { code: back.get('oidc'), tabletSecret, deviceName: 'Nettbrett 4', deviceId: 'dev-4' },
  })
}

/** The admin maps the social workers' group to practitioners (a fresh database). */
async function mapSocialGroup(app: FastifyInstance) {
  const admin = await login(app, 'admin', 'admin-password-1')
  await app.inject({
    method: 'POST',
    url: '/api/admin/directory-groups',
    headers: admin.headers,
    payload: { groupId: SOCIAL, role: 'practitioner' },
  })
}

describe.each(backends())(
  'the directory recovery secret is kept sealed with a key outside the database (%s)',
  { timeout: 30_000 },
  (backend) => {
    let database: TestDatabase
    let server: TestServer | undefined
    const oidcEnv = () => ({
      LINJA_OIDC_ISSUER: provider.issuer,
      LINJA_OIDC_CLIENT_ID: provider.clientId,
      LINJA_OIDC_CLIENT_SECRET: provider.clientSecret,
      LINJA_OIDC_REDIRECT_BASE_URL: BASE,
    })
    const restart = async (env: Record<string, string> = {}) => {
      await server?.close()
      server = undefined
      server = await appOn(database, { ...oidcEnv(), ...env })
      return server.app
    }
    /** Kari's recovery secret from a sign-in. */
    const recoverySecret = async (app: FastifyInstance) => {
      const res = await signInWithProvider(app, 'kari')
      expect(res.statusCode, res.body).toBe(200)
      return res.json<{ recoverySecret: string; person: { id: string } }>()
    }
    const storedRows = () => rawRows(database, 'select * from directory_recovery', [])

    beforeAll(async () => {
      database = await createTestDatabase(backend)
      await mapSocialGroup(await restart())
    }, 60_000)
    afterAll(async () => {
      await server?.close()
      await database?.drop()
    })

    it('the database row does not hold the secret, and the same secret comes back after a restart', async () => {
      const first = await recoverySecret(server?.app ?? (await restart()))
      const rows = await storedRows()
      expect(rows).toHaveLength(1)
      // A copy of the database (a backup, a dump) gives nothing that opens the tablet's key.
      expect(JSON.stringify(rows)).not.toContain(first.recoverySecret)
      expect(rows[0]).toEqual({
        person_id: first.person.id,
        sealed_secret: expect.stringMatching(/^s1\./),
      })
      const again = await recoverySecret(await restart())
      expect(again.recoverySecret).toBe(first.recoverySecret)
    })

    it("a secret an older server stored in plain text is sealed by the upgrade's migration and still comes back", async () => {
      const { person } = await recoverySecret(server?.app ?? (await restart()))
      await server?.close()
      server = undefined
      // The table as migration 0016 made it, with the plain secret an older server wrote.
      const old = 'an-old-plain-recovery-secret-0123456789abcd'
      await rawSql(database, 'drop table directory_recovery', [])
      await rawSql(
        database,
        'create table directory_recovery (person_id text primary key, secret text not null)',
        [],
      )
      await rawSql(database, 'insert into directory_recovery values (?, ?)', [person.id, old])
      // The upgrade: the migration runs once over it, with the key this server uses.
      const opened = openDatabase({
        dataDir: database.env.DATA_DIR ?? '',
        databaseUrl: database.env.DATABASE_URL ?? null,
      })
      const keyText =
        database.env.LINJA_SECRETS_KEY ??
        readFileSync(join(database.env.DATA_DIR ?? '', 'secrets-key'), 'utf8').trim()
      try {
        const sealing = migrations(opened.dialect, secretsKeyFrom(keyText))
        await sealing['0018_sealed_directory_recovery']?.up(opened.db)
      } finally {
        await opened.close()
      }
      const app = await restart()
      expect(JSON.stringify(await storedRows())).not.toContain(old)
      expect((await recoverySecret(app)).recoverySecret).toBe(old)
    })

    it('a wrong or missing secrets key stops the start with words naming LINJA_SECRETS_KEY_FILE', async () => {
      await server?.close()
      server = undefined
      const dir = mkdtempSync(join(tmpdir(), 'linja-secrets-key-'))
      try {
        const wrong = join(dir, 'wrong-key')
        writeFileSync(wrong, randomBytes(32).toString('base64url'), { mode: 0o600 })
        // LINJA_SECRETS_KEY (PostgreSQL's tests give it directly) and _FILE are one or the other.
        const { LINJA_SECRETS_KEY: _given, ...withoutKey } = database.env
        const on = (env: Record<string, string>) =>
          appOn({ ...database, env: withoutKey }, { ...oidcEnv(), ...env })
        await expect(on({ LINJA_SECRETS_KEY_FILE: wrong })).rejects.toThrow(
          /LINJA_SECRETS_KEY_FILE.*is not the key this database's secrets were sealed with/,
        )
        await expect(on({ LINJA_SECRETS_KEY_FILE: join(dir, 'absent') })).rejects.toThrow(
          /LINJA_SECRETS_KEY_FILE: cannot read .*absent \(ENOENT\)/,
        )
        if (backend === 'sqlite') {
          // The key Linja made at its first start, lost: a new one would never open the secrets.
          const made = join(database.env.DATA_DIR ?? '', 'secrets-key')
          renameSync(made, join(dir, 'kept'))
          await expect(on({})).rejects.toThrow(
            /secrets key file .*secrets-key is missing, .*set LINJA_SECRETS_KEY_FILE/,
          )
          renameSync(join(dir, 'kept'), made)
        } else {
          await expect(on({})).rejects.toThrow(
            /With DATABASE_URL a secrets key must be configured.*LINJA_SECRETS_KEY_FILE/,
          )
        }
        // With the right key it starts again, and nothing was changed by the refused starts.
        expect((await recoverySecret(await restart())).recoverySecret).toMatch(/^[\w-]{43}$/)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  },
)

describe('HelseID: Linja proves itself with a signed JWT (private_key_jwt)', {
  timeout: 30_000,
}, () => {
  let database: TestDatabase
  let server: TestServer | undefined
  const dir = mkdtempSync(join(tmpdir(), 'linja-client-key-'))
  const keyFile = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text, { mode: 0o600 })
    return path
  }
  const jwtEnv = (file: string) => ({
    LINJA_OIDC_ISSUER: provider.issuer,
    LINJA_OIDC_CLIENT_ID: provider.jwtClientId,
    LINJA_OIDC_CLIENT_AUTH: 'private_key_jwt',
    LINJA_OIDC_PRIVATE_KEY_FILE: file,
    LINJA_OIDC_REDIRECT_BASE_URL: BASE,
  })
  const startWith = async (env: Record<string, string>) => {
    await server?.close()
    server = undefined
    server = await appOn(database, env)
    return server.app
  }
  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    await mapSocialGroup(await startWith({}))
  }, 60_000)
  afterAll(async () => {
    await server?.close()
    await database?.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('signs in with the private key as a JWK (RS256, its kid) or as PEM (ES256), with no client secret', async () => {
    // As HelseID's self-service gives it: one private JWK with its kid.
    const jwk = keyFile('helseid.jwk', JSON.stringify({ ...privateJwk(rsaKey), kid: RSA_KID }))
    const pem = keyFile(
      'linja.pem',
      String(ecKey.privateKey.export({ format: 'pem', type: 'pkcs8' })),
    )
    for (const file of [jwk, pem]) {
      const res = await signInWithProvider(await startWith(jwtEnv(file)), 'kari')
      expect([file, res.statusCode, res.body]).toEqual([file, 200, expect.any(String)])
      expect(res.json()).toMatchObject({ person: { displayName: 'Kari Nordmann' } })
    }
  })

  it('a key the provider does not know is refused as a setup fault, and the person is told to ask the administrator', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const file = keyFile('stranger.jwk', JSON.stringify({ ...privateJwk(stranger), kid: RSA_KID }))
    const { back } = await providerReturn(await startWith(jwtEnv(file)), 'kari')
    expect(back.get('oidc')).toBeNull()
    expect(back.get('oidc-error')).toBe('client_rejected')
    expect(nb.oidc.failure.client_rejected).toMatch(/Si fra til administratoren/)
  })

  it('its settings are checked at start, naming the variable and what to do', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...jwtEnv(''), ...env })
      } catch (error) {
        return error instanceof ConfigError ? error.problems.join('\n') : String(error)
      }
      return ''
    }
    const publicOnly = keyFile(
      'public.jwk',
      JSON.stringify(rsaKey.publicKey.export({ format: 'jwk' })),
    )
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const smallFile = keyFile(
      'small.pem',
      String(small.privateKey.export({ format: 'pem', type: 'pkcs8' })),
    )
    const good = keyFile('good.jwk', JSON.stringify(privateJwk(rsaKey)))
    expect(problems({ LINJA_OIDC_PRIVATE_KEY_FILE: '' })).toMatch(
      /LINJA_OIDC_PRIVATE_KEY_FILE must be set with LINJA_OIDC_CLIENT_AUTH=private_key_jwt/,
    )
    expect(problems({ LINJA_OIDC_PRIVATE_KEY_FILE: join(dir, 'absent') })).toMatch(
      /LINJA_OIDC_PRIVATE_KEY_FILE cannot be read \(ENOENT\)/,
    )
    expect(problems({ LINJA_OIDC_PRIVATE_KEY_FILE: publicOnly })).toMatch(
      /LINJA_OIDC_PRIVATE_KEY_FILE .* must hold a private key .*it is a public key/,
    )
    expect(problems({ LINJA_OIDC_PRIVATE_KEY_FILE: smallFile })).toMatch(/at least 2048 bits/)
    expect(problems({ LINJA_OIDC_PRIVATE_KEY_FILE: good, LINJA_OIDC_CLIENT_SECRET: 's' })).toMatch(
      /LINJA_OIDC_CLIENT_SECRET \(or _FILE\) is not used with LINJA_OIDC_CLIENT_AUTH=private_key_jwt/,
    )
    expect(problems({ LINJA_OIDC_PRIVATE_KEY_FILE: good, LINJA_OIDC_CLIENT_AUTH: 'mtls' })).toMatch(
      /LINJA_OIDC_CLIENT_AUTH must be client_secret or private_key_jwt \(got "mtls"\)/,
    )
    expect(problems({ LINJA_OIDC_PRIVATE_KEY_FILE: good })).toBe('')
  })
})

describe('an identity provider that cannot be reached', { timeout: 30_000 }, () => {
  let server: TestServer
  beforeAll(async () => {
    server = await serverFor('sqlite', {
      // Nothing listens on port 9 of this machine.
      LINJA_OIDC_ISSUER: 'http://127.0.0.1:9/tenant',
      LINJA_OIDC_CLIENT_ID: 'linja',
      LINJA_OIDC_CLIENT_SECRET: 'secret',
      LINJA_OIDC_REDIRECT_BASE_URL: BASE,
    })
  }, 60_000)
  afterAll(async () => {
    await server?.close()
  })

  it('says so in clear words, and password sign-in, the API and health are untouched', async () => {
    const { app } = server
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/oidc/start',
      payload: { tabletHash: tablet().hash },
    })
    expect(res.statusCode).toBe(503)
    expect(res.json()).toMatchObject({ error: 'identity_provider_unreachable' })
    expect(res.json<{ message: string }>().message).toContain('cannot be reached')
    const admin = await login(app, 'admin', 'admin-password-1')
    const listed = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: admin.headers,
    })
    expect(listed.statusCode).toBe(200)
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
  })

  it('a half-done configuration stops the start naming what is missing', () => {
    const problems = () => {
      try {
        loadConfig({ LINJA_OIDC_ISSUER: 'http://login.example.no/x', LINJA_OIDC_CLIENT_ID: 'c' })
      } catch (error) {
        return error instanceof ConfigError ? error.problems.join('\n') : String(error)
      }
      return ''
    }
    const text = problems()
    expect(text).toContain('LINJA_OIDC_REDIRECT_BASE_URL must be set')
    expect(text).toContain('LINJA_OIDC_CLIENT_SECRET')
    expect(text).toContain('LINJA_OIDC_ISSUER must use https://')
  })
})
