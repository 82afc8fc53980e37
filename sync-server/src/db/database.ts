// Opens the server database: SQLite (WAL) under DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.ts'

export type Dialect = 'sqlite' | 'postgres'

export interface OpenedDatabase {
  db: Kysely<Database>
  dialect: Dialect
  close: () => Promise<void>
}

export function openDatabase(options: {
  dataDir: string
  databaseUrl: string | null
}): OpenedDatabase {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 })
    // An idle connection closed by the server (restart, failover, a dropped test database) is
    // reported here; the pool replaces it. Without a listener it would crash the process.
    pool.on('error', () => undefined)
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, dialect: 'postgres', close: () => db.destroy() }
  }
  mkdirSync(options.dataDir, { recursive: true })
  const sqlite = new SQLite(join(options.dataDir, 'linja.sqlite'))
  // WAL + synchronous=FULL: an acknowledged write survives a SIGKILL or power loss.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}
