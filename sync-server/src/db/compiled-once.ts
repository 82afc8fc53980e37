// Queries built and compiled once per database and then run with each call's values: for the
// statements every request runs (the caller's session), Kysely's building and compiling cost more
// CPU than the database's answer.
import type { Compilable, CompiledQuery, Kysely } from 'kysely'
import type { Database } from './schema.ts'

/**
 * A query of `arity` string values, built by `build` from stand-ins the first time it runs on a
 * database, then run as that compiled text with the real values in the stand-ins' places. `build`
 * must use each value only where a parameter goes (a comparison, not a column name or a limit),
 * and each exactly as given: checked when it is compiled.
 */
export function compiledOnce<A extends readonly string[], R>(
  arity: A['length'],
  build: (db: Kysely<Database>, ...values: A) => Compilable<R>,
): (db: Kysely<Database>, ...values: A) => Promise<R[]> {
  const compiled = new WeakMap<Kysely<Database>, { query: CompiledQuery<R>; slots: number[] }>()
  const compile = (db: Kysely<Database>) => {
    const standIns = Array.from({ length: arity }, (_, i) => `\u0000compiled-once-${i}\u0000`)
    const query = build(db, ...(standIns as unknown as A)).compile()
    const slots = query.parameters.map((p) => standIns.indexOf(p as string))
    const used = new Set(slots)
    if (slots.includes(-1) || used.size !== arity || slots.length !== arity) {
      // A value that is not a plain parameter, or a constant parameter, would be frozen at its first value.
      throw new Error('compiledOnce: every parameter must be one of the values, each used once')
    }
    const entry = { query, slots }
    compiled.set(db, entry)
    return entry
  }
  return async (db, ...values) => {
    const { query, slots } = compiled.get(db) ?? compile(db)
    const parameters = slots.map((slot) => values[slot])
    const result = await db.executeQuery<R>({ ...query, parameters })
    return result.rows
  }
}
