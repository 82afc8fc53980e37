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
  const url = database.env.DATABASE_URL
  if (url) {
    let n = 0
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(
        statement.replace(/\?/g, () => `$${++n}`),
        [...params],
      )
    } finally {
      await client.end()
    }
    return
  }
  const dataDir = database.env.DATA_DIR
  if (!dataDir) throw new Error('rawSql: neither DATABASE_URL nor DATA_DIR in the test env')
  const sqlite = new SQLite(join(dataDir, 'linja.sqlite'))
  try {
    sqlite.prepare(statement).run(...params)
  } finally {
    sqlite.close()
  }
}
