// The databases the server suites run against: SQLite always, PostgreSQL when it is reachable (loudly skipped when not).

import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import type { DemoOperationsHook } from '../../../sync-server/src/accounts/demo-records.ts'
import { buildApp } from '../../../sync-server/src/app.ts'
import { SECRETS_KEY_CHECK, secretsKeyFor } from '../../../sync-server/src/auth/secrets-key.ts'
import { loadConfig } from '../../../sync-server/src/config.ts'
import { DATABASE_FILE } from '../../../sync-server/src/db/data-dir.ts'
import { openDatabase } from '../../../sync-server/src/db/database.ts'
import { migrate } from '../../../sync-server/src/db/migrations.ts'

export const BACKEND_NAMES = ['sqlite', 'postgres'] as const
export type Backend = (typeof BACKEND_NAMES)[number]

const PG_SOCKET_DIR = process.env.LINJA_TEST_PG_HOST ?? '/var/run/postgresql'
const required = process.env.LINJA_TEST_PG !== undefined && process.env.LINJA_TEST_PG !== ''

let reachable: boolean | undefined
function pgReachable(): boolean {
  if (reachable !== undefined) return reachable
  const socket = join(PG_SOCKET_DIR, '.s.PGSQL.5432')
  // A socket file can outlive its server (a crash, a machine restored from a snapshot): connect.
  const probe = `require('node:net').connect(${JSON.stringify(socket)}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`
  reachable =
    existsSync(socket) &&
    spawnSync(process.execPath, ['-e', probe], { timeout: 5_000 }).status === 0
  return reachable
}

let warned = false
/** SQLite, plus PostgreSQL if reachable. LINJA_TEST_PG=1 turns a missing PostgreSQL into a failure. */
export function backends(): Backend[] {
  if (pgReachable()) return ['sqlite', 'postgres']
  if (required) {
    throw new Error(`LINJA_TEST_PG is set but PostgreSQL is not reachable at ${PG_SOCKET_DIR}`)
  }
  if (!warned) {
    warned = true
    console.warn(
      `\n!!! PostgreSQL is NOT reachable at ${PG_SOCKET_DIR}: the PostgreSQL half of the server suite is SKIPPED.\n!!! Start it (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set LINJA_TEST_PG=1 to make this an error.\n`,
    )
  }
  return ['sqlite']
}

export function pgAvailable(): boolean {
  return backends().includes('postgres')
}

function adminUrl(database: string): string {
  const user = process.env.PGUSER ?? userInfo().username
  return `postgres://${user}@/${database}?host=${encodeURIComponent(PG_SOCKET_DIR)}`
}

/** A fresh PostgreSQL database; `drop` removes it. `template`: a copy of that database. */
export async function createPgDatabase(
  template?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `linja_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: adminUrl('postgres') })
  await admin.connect()
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`)
  await admin.end()
  return {
    url: adminUrl(name),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl('postgres') })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

// A migrated database for tests to copy: running the migrations took about half a second on SQLite and
// a second on PostgreSQL for every test's fresh database. The copy is as the migrations leave a new
// database, less what each start makes its own: the epoch and the secrets key (its check and file).
const MIGRATIONS_HASH = createHash('sha256')
  .update(readFileSync(resolve(import.meta.dirname, '../../../sync-server/src/db/migrations.ts')))
  .update(readFileSync(resolve(import.meta.dirname, '../../../sync-server/src/db/schema.ts')))
  .digest('hex')
  .slice(0, 12)
const PG_TEMPLATE = `linja_test_template_${MIGRATIONS_HASH}`

async function migrateTemplate(env: Record<string, string>): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent', STATIC_DIR: '/nonexistent-linja-dist', ...env })
  const database = openDatabase(config)
  try {
    await migrate(database.db, database.dialect, await secretsKeyFor(database.db, config))
    await database.db.deleteFrom('meta').where('key', 'in', ['epoch', SECRETS_KEY_CHECK]).execute()
  } finally {
    await database.close()
  }
}

let sqliteTemplate: Promise<string> | undefined
/** The data folder whose database file each SQLite test database starts as (one per process). */
function sqliteTemplateDir(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linja-test-template-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    await migrateTemplate({ DATA_DIR: dir })
    return dir
  })()
  return sqliteTemplate
}

let pgTemplate: Promise<string> | undefined
/** The PostgreSQL template database for these migrations, made once by whichever process is first. */
function pgTemplateName(): Promise<string> {
  pgTemplate ??= (async () => {
    const admin = new pg.Client({ connectionString: adminUrl('postgres') })
    await admin.connect()
    try {
      // Test processes start together: one makes the template, the others wait for it.
      await admin.query('select pg_advisory_lock(7142001)')
      const found = await admin.query('select 1 from pg_database where datname = $1', [PG_TEMPLATE])
      if (found.rowCount === 0) {
        // Made under another name and renamed when whole: a failed migration leaves no template.
        // Templates of other migrations stay (another checkout's tests may be using them).
        const making = `${PG_TEMPLATE}_making`
        await admin.query(`drop database if exists ${making} with (force)`)
        await admin.query(`create database ${making}`)
        try {
          await migrateTemplate({
            DATABASE_URL: adminUrl(making),
            LINJA_TOKEN_SECRET: TEST_TOKEN_SECRET,
            LINJA_SECRETS_KEY: TEST_SECRETS_KEY,
          })
        } catch (error) {
          await admin.query(`drop database if exists ${making} with (force)`)
          throw error
        }
        await admin.query(`alter database ${making} rename to ${PG_TEMPLATE}`)
      }
    } finally {
      await admin.query('select pg_advisory_unlock(7142001)').catch(() => undefined)
      await admin.end()
    }
    return PG_TEMPLATE
  })()
  return pgTemplate
}

/** The token secret of the PostgreSQL test databases (never in the database, as in production). */
export const TEST_TOKEN_SECRET = 'test-token-secret-of-32-characters-or-more'
/** The secrets key of the PostgreSQL test databases (likewise). */
export const TEST_SECRETS_KEY = 'test-secrets-key-of-32-characters-or-more'

export interface TestServer {
  app: FastifyInstance
  printed: string[]
  close: () => Promise<void>
}

export interface TestDatabase {
  env: Record<string, string>
  drop: () => Promise<void>
}

export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'postgres') {
    const db = await createPgDatabase(await pgTemplateName())
    // Instances on one PostgreSQL share the token secret by configuration (several apps may share one test database).
    return {
      env: {
        DATABASE_URL: db.url,
        LINJA_TOKEN_SECRET: TEST_TOKEN_SECRET,
        LINJA_SECRETS_KEY: TEST_SECRETS_KEY,
      },
      drop: db.drop,
    }
  }
  const template = await sqliteTemplateDir()
  const dataDir = mkdtempSync(join(tmpdir(), 'linja-test-'))
  copyFileSync(join(template, DATABASE_FILE), join(dataDir, DATABASE_FILE))
  return {
    env: { DATA_DIR: dataDir },
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  }
}

/** An app on an existing test database (several apps may share one). */
/** Build options beyond the environment (a clock the test moves). */
export interface TestOptions {
  now?: () => number
  /** Hears each group commit of pushes (how many pushes it carried). */
  onPushCommit?: (pushes: number) => void
  /** Changes the demo seed's push operations before they are sent (LINJA_DEMO=1). */
  demoOperations?: DemoOperationsHook
  /** Rows per page of a report's facts. */
  reportPageRows?: number
  /** How often the remote-link outbox looks for messages due (retries). */
  remoteDeliveryTickMs?: number
}

export async function appOn(
  database: TestDatabase,
  env: Record<string, string> = {},
  options: TestOptions = {},
): Promise<TestServer> {
  const printed: string[] = []
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    LINJA_ADMIN_PASSWORD: 'admin-password-1',
    STATIC_DIR: '/nonexistent-linja-dist',
    ...database.env,
    ...env,
  })
  const app = await buildApp({
    config,
    logger: false,
    print: (l) => printed.push(l),
    ...(options.now ? { now: options.now } : {}),
    ...(options.onPushCommit ? { onPushCommit: options.onPushCommit } : {}),
    ...(options.demoOperations ? { demoOperations: options.demoOperations } : {}),
    ...(options.reportPageRows ? { reportPageRows: options.reportPageRows } : {}),
    ...(options.remoteDeliveryTickMs ? { remoteDeliveryTickMs: options.remoteDeliveryTickMs } : {}),
  })
  return { app, printed, close: () => app.close() }
}

/** An app on its own fresh database; `close` closes the app and drops the database. */
export async function serverFor(
  backend: Backend,
  env: Record<string, string> = {},
  options: TestOptions = {},
): Promise<TestServer> {
  const database = await createTestDatabase(backend)
  const server = await appOn(database, env, options)
  return {
    ...server,
    close: async () => {
      await server.close()
      await database.drop()
    },
  }
}
