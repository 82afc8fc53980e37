// Opens the server database: SQLite (WAL) under DATA_DIR by default, PostgreSQL when DATABASE_URL is set.
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import { StartupError } from '../startup-error.ts'
import { connectionFailure } from './connection-errors.ts'
import { DATABASE_FILE, preparePrivateDataDir, restrictFiles } from './data-dir.ts'
import type { Database } from './schema.ts'
import { cachedStatements } from './statement-cache.ts'

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
  preparePrivateDataDir(options.dataDir)
  const path = join(options.dataDir, DATABASE_FILE)
  let sqlite: SQLite.Database
  try {
    sqlite = new SQLite(path)
    // WAL + synchronous=FULL: an acknowledged write survives a SIGKILL or power loss.
    sqlite.pragma('journal_mode = WAL')
  } catch (error) {
    throw new StartupError(
      `Cannot open the SQLite database ${path}: ${error instanceof Error ? error.message : String(error)}. Check the file (or restore a backup) and start again.`,
      { cause: error },
    )
  }
  restrictFiles(options.dataDir)
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachedStatements(sqlite) }),
  })
  return { db, dialect: 'sqlite', close: () => db.destroy() }
}

/** The first contact with PostgreSQL, so a wrong DATABASE_URL is named before any migration runs. */
export async function checkConnection(
  opened: OpenedDatabase,
  databaseUrl: string | null,
): Promise<void> {
  if (opened.dialect !== 'postgres' || databaseUrl === null) return
  try {
    await sql`select 1`.execute(opened.db)
  } catch (error) {
    await opened.close().catch(() => undefined)
    throw connectionFailure(error, databaseUrl)
  }
}
