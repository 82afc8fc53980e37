// Prepared SQLite statements kept by their SQL: Kysely's SQLite driver prepares every query anew,
// and under load that preparing was the largest cost after running the queries themselves.
import type SQLite from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/** Enough for every query shape the server uses; multi-row inserts of many sizes evict the oldest. */
const DEFAULT_SIZE = 500

/**
 * A Kysely SqliteDatabase that reuses statements. better-sqlite3 refuses to run a statement while it
 * is iterating, so this suits only code that does not stream (the server never calls .stream()).
 */
export function cachedStatements(sqlite: SQLite.Database, size = DEFAULT_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>()
  return {
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql)
      if (hit) {
        // Least recently used goes first: a hit moves to the end of the Map's order.
        cache.delete(sql)
        cache.set(sql, hit)
        return hit
      }
      const statement = sqlite.prepare(sql)
      cache.set(sql, statement)
      if (cache.size > size) {
        const oldest = cache.keys().next().value
        if (oldest !== undefined) cache.delete(oldest)
      }
      return statement
    },
    close(): void {
      cache.clear()
      sqlite.close()
    },
  }
}
