// A query compiled once runs with each call's values in their places, and one that would freeze a value is refused.
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { compiledOnce } from '../../sync-server/src/db/compiled-once.ts'
import type { Database } from '../../sync-server/src/db/schema.ts'

describe('compiledOnce', () => {
  let db: Kysely<Database> | undefined
  afterEach(async () => {
    await db?.destroy()
    db = undefined
  })

  async function meta() {
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) })
    await db.schema
      .createTable('meta')
      .addColumn('key', 'text')
      .addColumn('value', 'text')
      .execute()
    await db
      .insertInto('meta')
      .values([
        { key: 'a', value: 'one' },
        { key: 'b', value: 'two' },
      ])
      .execute()
    return db
  }

  it('answers each call with its own values, not the first call’s', async () => {
    const db = await meta()
    const byKey = compiledOnce(1, (d, key: string) =>
      d.selectFrom('meta').select('value').where('key', '=', key),
    )
    expect(await byKey(db, 'a')).toEqual([{ value: 'one' }])
    expect(await byKey(db, 'b')).toEqual([{ value: 'two' }])
    expect(await byKey(db, 'c')).toEqual([])
  })

  it('refuses a query with a parameter that is not one of the values (it would be frozen at its first value)', async () => {
    const db = await meta()
    const frozen = compiledOnce(1, (d, key: string) =>
      d.selectFrom('meta').select('value').where('key', '=', key).where('value', '<>', 'x'),
    )
    await expect(frozen(db, 'a')).rejects.toThrow('every parameter must be one of the values')
  })
})
