// Writes straight into a test database, as data written by an older server would lie there.
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import type { TestDatabase } from './backends.ts'

/** Runs one statement with `?` placeholders on SQLite or PostgreSQL, over its own connection. */
export async function rawSql(
  database: TestDatabase,
  statement: string,
  params: readonly (string | number | null)[],
): Promise<void> {
  await rawRows(database, statement, params)
}

/** The rows of one query with `?` placeholders, read over its own connection. */
export async function rawRows(
  database: TestDatabase,
  statement: string,
  params: readonly (string | number | null)[],
): Promise<Record<string, unknown>[]> {
  const url = database.env.DATABASE_URL
  if (url) {
    let n = 0
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const result = await client.query(
        statement.replace(/\?/g, () => `$${++n}`),
        [...params],
      )
      return result.rows
    } finally {
      await client.end()
    }
  }
  const dataDir = database.env.DATA_DIR
  if (!dataDir) throw new Error('rawSql: neither DATABASE_URL nor DATA_DIR in the test env')
  const sqlite = new SQLite(join(dataDir, 'linja.sqlite'))
  try {
    const prepared = sqlite.prepare(statement)
    if (!prepared.reader) {
      prepared.run(...params)
      return []
    }
    return prepared.all(...params) as Record<string, unknown>[]
  } finally {
    sqlite.close()
  }
}
