// Multi-row inserts written as SQL text for the push's hot path. Kysely's insert builder makes,
// freezes, visits and compiles a node for every value: for a group commit's rows that cost more
// CPU than SQLite spent storing them. The columns are named by the caller (typed by the table),
// the values always go as parameters, and the text of each shape is made once per process.
import { CompiledQuery, type Kysely, PostgresAdapter, type Transaction } from 'kysely'
import type { Database } from './schema.ts'

type Db = Kysely<Database> | Transaction<Database>

/** Rows per statement at most: well under SQLite's and PostgreSQL's parameter limits. */
const MAX_ROWS = 200

const texts = new Map<string, string>()

function insertText(
  postgres: boolean,
  table: string,
  columns: readonly string[],
  rows: number,
  suffix: string,
): string {
  const key = `${postgres ? 'p' : 's'}\u0000${table}\u0000${columns.join(',')}\u0000${rows}\u0000${suffix}`
  let text = texts.get(key)
  if (text === undefined) {
    const tuples: string[] = []
    let n = 0
    for (let r = 0; r < rows; r++) {
      const marks: string[] = []
      for (let c = 0; c < columns.length; c++) marks.push(postgres ? `$${++n}` : '?')
      tuples.push(`(${marks.join(', ')})`)
    }
    const names = columns.map((c) => `"${c}"`).join(', ')
    text = `insert into "${table}" (${names}) values ${tuples.join(', ')}${suffix ? ` ${suffix}` : ''}`
    texts.set(key, text)
  }
  return text
}

/**
 * A table's columns as given, checked to be all of them: a column left out is a compile error
 * (its value would silently not be stored).
 */
export function everyColumn<Row>() {
  return <const C extends readonly (keyof Row & string)[]>(
    columns: C & ([Exclude<keyof Row, C[number]>] extends [never] ? unknown : never),
  ): C => columns
}

/**
 * Inserts `rows` into `table`, in statements of at most MAX_ROWS rows. `suffix` is SQL both
 * databases read after the values (an `on conflict … do nothing`).
 */
export async function insertRows<T extends keyof Database & string>(
  db: Db,
  table: T,
  columns: readonly (keyof Database[T] & string)[],
  rows: readonly Database[T][],
  suffix = '',
): Promise<void> {
  if (rows.length === 0) return
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  for (let start = 0; start < rows.length; start += MAX_ROWS) {
    const end = Math.min(rows.length, start + MAX_ROWS)
    const parameters: unknown[] = []
    for (let i = start; i < end; i++) {
      const row = rows[i] as Database[T]
      for (const column of columns) parameters.push(row[column] ?? null)
    }
    const text = insertText(postgres, table, columns, end - start, suffix)
    await db.executeQuery(CompiledQuery.raw(text, parameters))
  }
}
