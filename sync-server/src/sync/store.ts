// Writes records and their change-log rows inside a push transaction, numbering them from the locked server counter.
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Dialect } from '../db/database.ts'
import type { Database, RecordsTable } from '../db/schema.ts'

export type Trx = Transaction<Database> | Kysely<Database>

/**
 * Reads and locks the server sequence. On PostgreSQL the row lock is held until commit, so pushes
 * commit in sequence order and a reader can never pass a number that commits later (the
 * commit-order trap). SQLite has a single writer, so the plain read is enough there.
 */
export async function lockCounter(trx: Trx, dialect: Dialect): Promise<number> {
  if (dialect === 'postgres') {
    const row = await sql<{ value: number }>`
      select value from counters where name = 'change_seq' for update`.execute(trx)
    return Number(row.rows[0]?.value ?? 0)
  }
  const row = await trx
    .selectFrom('counters')
    .select('value')
    .where('name', '=', 'change_seq')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}

export async function storeCounter(trx: Trx, value: number): Promise<void> {
  await trx.updateTable('counters').set({ value }).where('name', '=', 'change_seq').execute()
}

export async function currentSeq(db: Trx): Promise<number> {
  const row = await db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', 'change_seq')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}

export class SeqAllocator {
  constructor(private value: number) {}
  next(): number {
    this.value += 1
    return this.value
  }
  get last(): number {
    return this.value
  }
  /** Takes back the numbers handed out after `value` (their push was rolled back). */
  reset(value: number): void {
    this.value = value
  }
}

export interface ChangeMeta {
  op: string
  deviceId: string | null
  personId: string | null
  at: string
}

/** Inserts or replaces one record under a fresh server sequence number and logs the change. */
export async function putRecord(
  trx: Trx,
  row: Omit<RecordsTable, 'server_seq' | 'updated_at'>,
  seq: SeqAllocator,
  meta: ChangeMeta,
  exists: boolean,
): Promise<number> {
  const serverSeq = seq.next()
  const full: RecordsTable = { ...row, server_seq: serverSeq, updated_at: meta.at }
  if (exists) {
    await trx.updateTable('records').set(full).where('id', '=', row.id).execute()
  } else {
    await trx.insertInto('records').values(full).execute()
  }
  await trx
    .insertInto('change_log')
    .values({
      seq: serverSeq,
      record_id: row.id,
      op: meta.op,
      device_id: meta.deviceId,
      person_id: meta.personId,
      at: meta.at,
    })
    .execute()
  return serverSeq
}

export async function setClientAccess(
  trx: Trx,
  clientId: string,
  personIds: readonly string[],
): Promise<void> {
  await trx.deleteFrom('client_access').where('client_id', '=', clientId).execute()
  for (const personId of new Set(personIds)) {
    await trx
      .insertInto('client_access')
      .values({ client_id: clientId, person_id: personId })
      .execute()
  }
}
