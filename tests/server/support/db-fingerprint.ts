// Row counts and a hash of every table of a test database, read over its own connection.
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import type { TestDatabase } from './backends.ts'

/**
 * Columns that change without any change of data: the admin's device list keeps the last
 * contact to the minute, and any authenticated request may move it.
 */
const BOOKKEEPING: Record<string, readonly string[]> = {
  device_sessions: ['last_contact_at'],
}

export type Fingerprint = Record<string, { rows: number; hash: string }>

function digest(table: string, rows: Record<string, unknown>[]): { rows: number; hash: string } {
  const skip = BOOKKEEPING[table] ?? []
  const lines = rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .filter((k) => !skip.includes(k))
          .sort()
          .map((k) => [k, row[k] instanceof Buffer ? String(row[k]) : row[k]]),
      ),
    )
    .sort()
  return { rows: rows.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex') }
}

/** Every table of the database behind `database`, as SQLite or PostgreSQL holds it now. */
export async function fingerprint(database: TestDatabase): Promise<Fingerprint> {
  const out: Fingerprint = {}
  const url = database.env.DATABASE_URL
  if (url) {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const tables = await client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
      )
      for (const { table_name: name } of tables.rows) {
        const rows = await client.query(`select * from "${name}"`)
        out[name] = digest(name, rows.rows as Record<string, unknown>[])
      }
    } finally {
      await client.end()
    }
    return out
  }
  const dataDir = database.env.DATA_DIR
  if (!dataDir) throw new Error('fingerprint: neither DATABASE_URL nor DATA_DIR in the test env')
  const sqlite = new SQLite(join(dataDir, 'linja.sqlite'), { readonly: true })
  try {
    const tables = sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string }[]
    for (const { name } of tables) {
      const rows = sqlite.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]
      out[name] = digest(name, rows)
    }
  } finally {
    sqlite.close()
  }
  return out
}
