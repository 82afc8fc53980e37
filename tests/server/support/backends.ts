// The databases the server suites run against: SQLite always, PostgreSQL when it is reachable (loudly skipped when not).

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import type { DemoOperationsHook } from '../../../sync-server/src/accounts/demo-records.ts'
import { buildApp } from '../../../sync-server/src/app.ts'
import { loadConfig } from '../../../sync-server/src/config.ts'

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

/** A fresh PostgreSQL database; `drop` removes it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `linja_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: adminUrl('postgres') })
  await admin.connect()
  await admin.query(`create database ${name}`)
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
    const db = await createPgDatabase()
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
  const dataDir = mkdtempSync(join(tmpdir(), 'linja-test-'))
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
