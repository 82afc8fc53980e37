// Counts the SQL statements the server sends while a test runs (SQLite: statements run; PostgreSQL: queries sent).
import SQLite from 'better-sqlite3'
import pg from 'pg'
import type { Backend } from './backends.ts'

type Method = (this: unknown, ...args: unknown[]) => unknown

/** Wraps the driver's statement methods until stop(), which restores them and returns the count. */
export function countStatements(backend: Backend): { stop: () => number } {
  let count = 0
  const patched: [Record<string, Method>, string, Method][] = []
  const wrap = (target: Record<string, Method>, name: string) => {
    const original = target[name]
    if (!original) throw new Error(`no ${name} to count`)
    patched.push([target, name, original])
    target[name] = function (this: unknown, ...args: unknown[]) {
      count += 1
      return original.apply(this, args)
    }
  }
  if (backend === 'postgres') {
    wrap(pg.Client.prototype as unknown as Record<string, Method>, 'query')
  } else {
    const probe = new SQLite(':memory:')
    const statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, Method>
    probe.close()
    for (const name of ['all', 'get', 'run', 'iterate']) wrap(statement, name)
  }
  return {
    stop: () => {
      for (const [target, name, original] of patched) target[name] = original
      return count
    },
  }
}
