// Issue 14.14: every start-up failure says what failed and what to do, and never prints the password (real PostgreSQL).
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../sync-server/src/app.ts'
import { loadConfig } from '../../sync-server/src/config.ts'
import {
  createPgDatabase,
  pgAvailable,
  TEST_SECRETS_KEY,
  TEST_TOKEN_SECRET,
} from './support/backends.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const SOCKET = process.env.LINJA_TEST_PG_HOST ?? '/var/run/postgresql'
const ROLE = `linja_startup_${process.pid}`
const PASSWORD = `right-${randomBytes(6).toString('hex')}`
const WRONG = `wrong-${randomBytes(6).toString('hex')}`

async function admin(statement: string): Promise<void> {
  const user = process.env.PGUSER ?? userInfo().username
  const client = new pg.Client({
    connectionString: `postgres://${user}@/postgres?host=${encodeURIComponent(SOCKET)}`,
  })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** What buildApp throws for this environment (the message server.ts prints). */
async function startFailure(env: Record<string, string>): Promise<string> {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    STATIC_DIR: '/nonexistent-linja-dist',
    LINJA_ADMIN_PASSWORD: 'admin-password-1',
    LINJA_TOKEN_SECRET: TEST_TOKEN_SECRET,
    LINJA_SECRETS_KEY: TEST_SECRETS_KEY,
    ...env,
  })
  try {
    const app = await buildApp({ config, logger: false, print: () => undefined })
    await app.close()
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  throw new Error('the server started')
}

describe.runIf(pgAvailable())('start-up failures on PostgreSQL', () => {
  beforeAll(async () => {
    await admin(`create role ${ROLE} login password '${PASSWORD}'`)
  })
  afterAll(async () => {
    await admin(`drop role if exists ${ROLE}`)
  })

  it('a port nothing listens on: connection refused, check that PostgreSQL runs and the host/port', async () => {
    const message = await startFailure({ DATABASE_URL: 'postgres://linja@127.0.0.1:1/linja' })
    expect(message).toMatch(/Cannot connect to PostgreSQL at 127\.0\.0\.1:1: connection refused/)
    expect(message).toMatch(/Check that PostgreSQL is running/)
  })

  it('a wrong password: authentication failed for that user, and the password is not printed', async () => {
    const message = await startFailure({
      DATABASE_URL: `postgres://${ROLE}:${WRONG}@127.0.0.1:5432/postgres`,
    })
    expect(message).toMatch(new RegExp(`refused the password for user "${ROLE}"`))
    expect(message).toMatch(/Check the user and password in DATABASE_URL/)
    expect(message).not.toContain(WRONG)
  })

  it('a database that does not exist: named, with how to create it', async () => {
    const message = await startFailure({
      DATABASE_URL: `postgres://${ROLE}:${PASSWORD}@127.0.0.1:5432/linja_missing_${process.pid}`,
    })
    expect(message).toMatch(
      new RegExp(`The database "linja_missing_${process.pid}" does not exist`),
    )
    expect(message).toMatch(/createdb/)
    expect(message).not.toContain(PASSWORD)
  })

  it('no user named in DATABASE_URL and USER unset: says to write one in', async () => {
    const saved = { USER: process.env.USER, PGUSER: process.env.PGUSER, user: pg.defaults.user }
    delete process.env.USER
    delete process.env.PGUSER
    Reflect.deleteProperty(pg.defaults, 'user')
    try {
      const message = await startFailure({
        DATABASE_URL: `postgres:///postgres?host=${encodeURIComponent(SOCKET)}`,
      })
      expect(message).toMatch(/DATABASE_URL names no user \(and USER is not set\)/)
    } finally {
      if (saved.USER !== undefined) process.env.USER = saved.USER
      if (saved.PGUSER !== undefined) process.env.PGUSER = saved.PGUSER
      if (saved.user !== undefined) pg.defaults.user = saved.user
    }
  })

  it('a migration that fails: its name and the database’s own message', async () => {
    const db = await createPgDatabase()
    try {
      const client = new pg.Client({ connectionString: db.url })
      await client.connect()
      await client.query('create table organisations (x integer)')
      await client.end()
      const message = await startFailure({ DATABASE_URL: db.url })
      expect(message).toMatch(
        /Database migration 0002_accounts failed: .*relation "organisations" already exists/,
      )
    } finally {
      await db.drop()
    }
  }, 30_000)

  it('the real server prints the cause on stderr, exits non-zero, and never prints the password', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_URL: `postgres://${ROLE}:${WRONG}@127.0.0.1:5432/postgres`,
        LINJA_TOKEN_SECRET: TEST_TOKEN_SECRET,
        LINJA_SECRETS_KEY: TEST_SECRETS_KEY,
      },
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toMatch(
      new RegExp(`Linja could not start: .*refused the password for user "${ROLE}"`),
    )
    expect(`${run.stdout}${run.stderr}`).not.toContain(WRONG)
  }, 60_000)
})

describe('start-up failures on SQLite', () => {
  it('a migration that fails: its name and the database’s own message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'linja-startup-'))
    try {
      const sqlite = new SQLite(join(dataDir, 'linja.sqlite'))
      sqlite.exec('create table organisations (x integer)')
      sqlite.close()
      const message = await startFailure({ DATA_DIR: dataDir })
      expect(message).toMatch(
        /Database migration 0002_accounts failed: table "?organisations"? already exists/,
      )
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 30_000)
})
