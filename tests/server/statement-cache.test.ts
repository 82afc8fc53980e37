import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cachedStatements } from '../../sync-server/src/db/statement-cache.ts'

describe('SQLite statement cache', () => {
  it('prepares a repeated query once and still answers with current rows', () => {
    const sqlite = new SQLite(':memory:')
    let prepared = 0
    const prepare = sqlite.prepare.bind(sqlite)
    sqlite.prepare = ((source: string) => {
      prepared += 1
      return prepare(source)
    }) as typeof sqlite.prepare
    const db = cachedStatements(sqlite)
    db.prepare('create table t (x integer)').run([])
    db.prepare('insert into t values (?)').run([1])
    db.prepare('insert into t values (?)').run([2])
    expect(db.prepare('select x from t order by x').all([])).toEqual([{ x: 1 }, { x: 2 }])
    expect(prepared).toBe(3)
    db.close()
  })

  it('keeps at most `size` statements, dropping the least recently used', () => {
    const sqlite = new SQLite(':memory:')
    const db = cachedStatements(sqlite, 2)
    const a = db.prepare('select 1')
    const b = db.prepare('select 2')
    expect(db.prepare('select 1')).toBe(a)
    db.prepare('select 3')
    expect(db.prepare('select 1')).toBe(a)
    expect(db.prepare('select 2')).not.toBe(b)
    db.close()
  })
})
