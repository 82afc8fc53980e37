// Multi-row inserts and `in (…)` lookups written as SQL text, for the push's hot path. Kysely's
// builder makes, freezes, visits and compiles a node for every value: for a group commit's rows
// and ids that cost more CPU than SQLite spent on the statements. Table and column names come
// from the caller's code (typed by the schema), never from a request; every value is a parameter.
import { CompiledQuery, type Kysely, PostgresAdapter } from 'kysely'
import type { Database } from './schema.ts'

/** Rows per insert at most: well under SQLite's and PostgreSQL's parameter limits. */
const MAX_ROWS = 200
/** Values per `in (…)` at most. */
const MAX_IN = 500

type Table = keyof Database & string
type Column<T extends Table> = keyof Database[T] & string

/**
 * A table's columns as given, checked to be all of them: a column left out is a compile error
 * (its value would silently not be stored).
 */
export function everyColumn<Row>() {
  return <const C extends readonly (keyof Row & string)[]>(
    columns: C & ([Exclude<keyof Row, C[number]>] extends [never] ? unknown : never),
  ): C => columns
}

const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter

/** `count` groups of `size` placeholders: `(?, ?), (?, ?)`, or `($1, $2), ($3, $4)`. */
function placeholders(postgres: boolean, count: number, size: number): string[] {
  const groups: string[] = []
  let n = 0
  for (let g = 0; g < count; g++) {
    const marks: string[] = []
    for (let c = 0; c < size; c++) marks.push(postgres ? `$${++n}` : '?')
    groups.push(marks.join(', '))
  }
  return groups
}

const names = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ')

/** The statement texts already made, by what they are made of. */
const texts = new Map<string, string>()
function text(key: string, make: () => string): string {
  let made = texts.get(key)
  if (made === undefined) {
    made = make()
    texts.set(key, made)
  }
  return made
}

/**
 * Inserts `rows` into `table`, in statements of at most MAX_ROWS rows. `suffix` is SQL both
 * databases read after the values (an `on conflict … do nothing`).
 */
export async function insertRows<T extends Table>(
  db: Kysely<Database>,
  table: T,
  columns: readonly Column<T>[],
  rows: readonly Database[T][],
  suffix = '',
): Promise<void> {
  const postgres = isPostgres(db)
  for (let start = 0; start < rows.length; start += MAX_ROWS) {
    const end = Math.min(rows.length, start + MAX_ROWS)
    const parameters: unknown[] = []
    for (let i = start; i < end; i++) {
      const row = rows[i] as Database[T]
      for (const column of columns) parameters.push(row[column] ?? null)
    }
    const sql = text(`i${postgres}${table}(${columns})${end - start}${suffix}`, () => {
      const values = placeholders(postgres, end - start, columns.length).map((g) => `(${g})`)
      return `insert into "${table}" (${names(columns)}) values ${values.join(', ')}${suffix ? ` ${suffix}` : ''}`
    })
    await db.executeQuery(CompiledQuery.raw(sql, parameters))
  }
}

/** The `columns` of every row of `table` whose `key` is one of `values` (in any order). */
export async function selectIn<T extends Table, C extends Column<T>>(
  db: Kysely<Database>,
  table: T,
  columns: readonly C[],
  key: Column<T>,
  values: readonly string[],
): Promise<Pick<Database[T], C>[]> {
  const postgres = isPostgres(db)
  const out: Pick<Database[T], C>[] = []
  for (let start = 0; start < values.length; start += MAX_IN) {
    const part = values.slice(start, start + MAX_IN)
    const sql = text(`s${postgres}${table}(${columns})${key}${part.length}`, () => {
      const list = placeholders(postgres, 1, part.length)[0]
      return `select ${names(columns)} from "${table}" where "${key}" in (${list})`
    })
    const result = await db.executeQuery<Pick<Database[T], C>>(CompiledQuery.raw(sql, part))
    for (const row of result.rows) out.push(row)
  }
  return out
}

/** Deletes every row of `table` whose `key` is one of `values`. */
export async function deleteIn<T extends Table>(
  db: Kysely<Database>,
  table: T,
  key: Column<T>,
  values: readonly string[],
): Promise<void> {
  const postgres = isPostgres(db)
  for (let start = 0; start < values.length; start += MAX_IN) {
    const part = values.slice(start, start + MAX_IN)
    const sql = text(`d${postgres}${table}${key}${part.length}`, () => {
      const list = placeholders(postgres, 1, part.length)[0]
      return `delete from "${table}" where "${key}" in (${list})`
    })
    await db.executeQuery(CompiledQuery.raw(sql, part))
  }
}
