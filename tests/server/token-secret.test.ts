// Issue 14.1: the secret that signs access tokens is not in the database, DATA_DIR is private, and a rotation keeps devices signed in.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  acceptedSecrets,
  PREVIOUS_SECRET_GRACE_MS,
} from '../../sync-server/src/auth/token-secret.ts'
import { issueAccessToken } from '../../sync-server/src/auth/tokens.ts'
import { ConfigError, loadConfig } from '../../sync-server/src/config.ts'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { login } from './support/world.ts'

/** Runs statements on the test database over its own connection, as a person with a copy of it could. */
async function onDatabase(database: TestDatabase, statements: string[]): Promise<unknown[][]> {
  const url = database.env.DATABASE_URL
  if (url) {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const out: unknown[][] = []
      for (const s of statements) out.push((await client.query(s)).rows)
      return out
    } finally {
      await client.end()
    }
  }
  const sqlite = new SQLite(join(database.env.DATA_DIR ?? '', 'linja.sqlite'))
  try {
    return statements.map((s) => {
      const statement = sqlite.prepare(s)
      if (statement.reader) return statement.all()
      statement.run()
      return []
    })
  } finally {
    sqlite.close()
  }
}

const adminList = (app: FastifyInstance, token: string) =>
  app.inject({
    method: 'GET',
    url: '/api/admin/people',
    headers: { authorization: `Bearer ${token}`, 'x-linja-protocol': '1' },
  })

const OLD_META_SECRET = 'the-secret-an-older-linja-kept-in-meta-0123456789'

describe.each(backends())('token secret (%s)', (backend) => {
  let server: TestServer | undefined
  let database: TestDatabase | undefined
  afterEach(async () => {
    await server?.close()
    await database?.drop()
    server = undefined
    database = undefined
  })

  it('a token signed with the secret from the old place (meta.token_secret) is refused, and the upgrade deletes that row', async () => {
    database = await createTestDatabase(backend)
    server = await appOn(database)
    await server.close()
    // A database with the secret in meta, where an older Linja kept it.
    await onDatabase(database, [
      "delete from meta where key = 'token_secret'",
      `insert into meta (key, value) values ('token_secret', '${OLD_META_SECRET}')`,
    ])
    server = await appOn(database)
    const admin = await login(server.app, 'admin', 'admin-password-1')
    expect((await adminList(server.app, admin.accessToken)).statusCode).toBe(200)

    // What a local user with a copy of the database did: sign an administrator's token with it.
    const forged = issueAccessToken(
      { sid: admin.deviceSessionId, pid: admin.personId },
      OLD_META_SECRET,
    ).token
    const res = await adminList(server.app, forged)
    expect(res.statusCode).toBe(401)

    const [rows] = await onDatabase(database, ["select key from meta where key = 'token_secret'"])
    expect(rows).toEqual([])
  }, 60_000)

  it('rotation: tokens signed with the previous secret are still accepted, an unknown one is refused, new tokens use the new secret', async () => {
    const OLD = 'the-old-secret-0123456789-0123456789'
    const NEW = 'the-new-secret-0123456789-0123456789'
    database = await createTestDatabase(backend)
    server = await appOn(database, { LINJA_TOKEN_SECRET: OLD })
    const before = await login(server.app, 'admin', 'admin-password-1')
    await server.close()

    server = await appOn(database, { LINJA_TOKEN_SECRET: NEW, LINJA_TOKEN_SECRET_PREVIOUS: OLD })
    // The tablet's access token from before the restart keeps working: nobody is signed out.
    expect((await adminList(server.app, before.accessToken)).statusCode).toBe(200)
    const unknown = issueAccessToken(
      { sid: before.deviceSessionId, pid: before.personId },
      'a-secret-this-server-never-had-0123456789',
    ).token
    const refused = await adminList(server.app, unknown)
    expect(refused.statusCode).toBe(401)

    const after = await login(server.app, 'admin', 'admin-password-1')
    await server.close()
    // Once the previous secret is removed, only the new one signs anything that is accepted.
    server = await appOn(database, { LINJA_TOKEN_SECRET: NEW })
    expect((await adminList(server.app, after.accessToken)).statusCode).toBe(200)
    expect((await adminList(server.app, before.accessToken)).statusCode).toBe(401)
  }, 60_000)
})

describe('the previous secret after a rotation', () => {
  it('is accepted only until every token it signed has expired', () => {
    const secrets = {
      current: 'new',
      previous: 'old',
      previousUntilMs: 1_000 + PREVIOUS_SECRET_GRACE_MS,
    }
    expect(acceptedSecrets(secrets, 1_000)).toEqual(['new', 'old'])
    expect(acceptedSecrets(secrets, 1_000 + PREVIOUS_SECRET_GRACE_MS)).toEqual(['new'])
    expect(PREVIOUS_SECRET_GRACE_MS).toBeGreaterThanOrEqual(15 * 60 * 1000)
  })
})

describe('DATA_DIR of the embedded SQLite', () => {
  const made: string[] = []
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'linja-modes-'))
    made.push(dir)
    return dir
  }
  const mode = (path: string) => (statSync(path).mode & 0o777).toString(8)

  it('is created 0700 with the database, WAL, SHM and token secret 0600, even under umask 000', async () => {
    const dataDir = join(scratch(), 'data')
    const previous = process.umask(0o000)
    try {
      server = await appOn({ env: { DATA_DIR: dataDir }, drop: async () => undefined })
      await login(server.app, 'admin', 'admin-password-1')
    } finally {
      process.umask(previous)
    }
    expect(mode(dataDir)).toBe('700')
    for (const file of [
      'linja.sqlite',
      'linja.sqlite-wal',
      'linja.sqlite-shm',
      'token-secret',
      'secrets-key',
    ]) {
      expect([file, mode(join(dataDir, file))]).toEqual([file, '600'])
    }
    const secret = readFileSync(join(dataDir, 'token-secret'), 'utf8').trim()
    expect(secret.length).toBeGreaterThanOrEqual(32)
  }, 30_000)

  it('keeps its token secret across restarts: a token from before the restart still works', async () => {
    const dataDir = join(scratch(), 'data')
    const database = { env: { DATA_DIR: dataDir }, drop: async () => undefined }
    server = await appOn(database)
    const admin = await login(server.app, 'admin', 'admin-password-1')
    await server.close()
    server = await appOn(database)
    expect((await adminList(server.app, admin.accessToken)).statusCode).toBe(200)
  }, 30_000)

  it('tightens the 0644 files an older Linja left to 0600', async () => {
    const dataDir = join(scratch(), 'data')
    mkdirSync(dataDir, { mode: 0o700 })
    writeFileSync(join(dataDir, 'linja.sqlite'), '', { mode: 0o644 })
    server = await appOn({ env: { DATA_DIR: dataDir }, drop: async () => undefined })
    expect(mode(join(dataDir, 'linja.sqlite'))).toBe('600')
  })

  it.each([0o755, 0o750, 0o707])(
    'refuses to start in a folder with mode %o, saying what to do',
    async (folderMode) => {
      const dataDir = join(scratch(), 'data')
      mkdirSync(dataDir)
      chmodSync(dataDir, folderMode)
      await expect(
        appOn({ env: { DATA_DIR: dataDir }, drop: async () => undefined }),
      ).rejects.toThrow(/DATA_DIR .* is open to other users .*chmod 700/)
    },
  )
})

describe('token secret configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linja-secret-config-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('with PostgreSQL and no secret, refuses to start and says to set LINJA_TOKEN_SECRET_FILE', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h/db' })).toThrow(
      /With DATABASE_URL a token secret must be configured.*LINJA_TOKEN_SECRET_FILE/,
    )
  })

  it('reads the secret from LINJA_TOKEN_SECRET_FILE, surrounding whitespace ignored', () => {
    const file = join(dir, 'secret')
    writeFileSync(file, '  a-secret-from-a-file-0123456789-0123456789\n', { mode: 0o600 })
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@h/db',
      LINJA_TOKEN_SECRET_FILE: file,
      LINJA_SECRETS_KEY: 'another-shared-secret-of-32-chars-or-more',
    })
    expect(c.tokenSecret).toBe('a-secret-from-a-file-0123456789-0123456789')
  })

  it.each([
    [{ LINJA_TOKEN_SECRET: 'short' }, /LINJA_TOKEN_SECRET must hold at least 32 characters/],
    [
      { LINJA_TOKEN_SECRET_FILE: '/nonexistent/secret' },
      /cannot read \/nonexistent\/secret \(ENOENT\)/,
    ],
    [
      { LINJA_TOKEN_SECRET: 'x'.repeat(40), LINJA_TOKEN_SECRET_FILE: '/x' },
      /Set LINJA_TOKEN_SECRET or LINJA_TOKEN_SECRET_FILE, not both/,
    ],
    [{ LINJA_TOKEN_SECRET_PREVIOUS: 'short' }, /LINJA_TOKEN_SECRET_PREVIOUS must hold at least 32/],
    [{ LINJA_TLS_CERT_FILE: '/x.pem' }, /Set both LINJA_TLS_CERT_FILE and LINJA_TLS_KEY_FILE/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })
})
