// Per-push view of records and client access: lookups are cached for the length of one push transaction (the
// push's records are read in a few queries up front), and new records and change-log rows are written in
// chunks, so a batch of 500 operations costs a few round trips instead of two per operation.
import type { ChangeLogTable, RecordsTable } from '../db/schema.ts'
import type { ChangeMeta, SeqAllocator, Trx } from './store.ts'
import { setClientAccess } from './store.ts'

const CHUNK = 200
const FETCH_CHUNK = 500

export class RecordCache {
  private readonly records = new Map<string, RecordsTable | null>()
  private readonly access = new Map<string, boolean>()
  private readonly readable = new Map<string, boolean>()
  private readonly log: ChangeLogTable[] = []
  private readonly changed = new Set<string>()
  /** New records not yet inserted (the cache answers for them): written by writeRecords(). */
  private readonly pending = new Map<string, RecordsTable>()

  constructor(private readonly trx: Trx) {}

  /** Reads the records of these ids in a few queries; later find() calls answer from memory. */
  async prefetch(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => id !== '' && !this.records.has(id))
    for (let i = 0; i < wanted.length; i += FETCH_CHUNK) {
      const chunk = wanted.slice(i, i + FETCH_CHUNK)
      const rows = await this.trx
        .selectFrom('records')
        .selectAll()
        .where('id', 'in', chunk)
        .execute()
      for (const id of chunk) this.records.set(id, null)
      for (const row of rows) this.records.set(row.id, row)
    }
  }

  async find(id: string): Promise<RecordsTable | undefined> {
    if (!this.records.has(id)) {
      const row = await this.trx
        .selectFrom('records')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      this.records.set(id, row ?? null)
    }
    return this.records.get(id) ?? undefined
  }

  /** Inserts or replaces one record under a fresh server sequence number; its log row is written by flush(). */
  async put(
    row: Omit<RecordsTable, 'server_seq' | 'updated_at'>,
    seq: SeqAllocator,
    meta: ChangeMeta,
    exists: boolean,
  ): Promise<number> {
    const serverSeq = seq.next()
    const full: RecordsTable = {
      id: row.id,
      entity: row.entity,
      client_id: row.client_id,
      owner_id: row.owner_id,
      unit_id: row.unit_id,
      chain_id: row.chain_id,
      voided: row.voided,
      superseded_by: row.superseded_by,
      payload: row.payload,
      server_seq: serverSeq,
      updated_at: meta.at,
    }
    if (exists && !this.pending.has(row.id)) {
      await this.trx.updateTable('records').set(full).where('id', '=', row.id).execute()
    } else {
      this.pending.set(row.id, full)
    }
    this.records.set(row.id, full)
    this.changed.add(row.client_id)
    this.log.push({
      seq: serverSeq,
      record_id: row.id,
      op: meta.op,
      device_id: meta.deviceId,
      person_id: meta.personId,
      at: meta.at,
    })
    return serverSeq
  }

  async canWrite(clientId: string, personId: string): Promise<boolean> {
    const key = `${clientId}\n${personId}`
    if (!this.access.has(key)) {
      const row = await this.trx
        .selectFrom('client_access')
        .select('person_id')
        .where('client_id', '=', clientId)
        .where('person_id', '=', personId)
        .executeTakeFirst()
      this.access.set(key, row !== undefined)
    }
    return this.access.get(key) === true
  }

  /** True when one of `readers` (the caller, and a supervisor's supervisees) is listed on the client (S15). */
  async canRead(clientId: string, readers: readonly string[]): Promise<boolean> {
    if (!this.readable.has(clientId)) {
      const row = await this.trx
        .selectFrom('client_access')
        .select('person_id')
        .where('client_id', '=', clientId)
        .where('person_id', 'in', [...readers])
        .executeTakeFirst()
      this.readable.set(clientId, row !== undefined)
    }
    return this.readable.get(clientId) === true
  }

  /** Replaces who may write the client; returns true when someone was added (the caller re-stamps its records). */
  async setAccess(clientId: string, personIds: readonly string[]): Promise<boolean> {
    const before = await this.trx
      .selectFrom('client_access')
      .select('person_id')
      .where('client_id', '=', clientId)
      .execute()
    const had = new Set(before.map((r) => r.person_id))
    await setClientAccess(this.trx, clientId, personIds)
    for (const key of [...this.access.keys()]) {
      if (key.startsWith(`${clientId}\n`)) this.access.delete(key)
    }
    this.readable.delete(clientId)
    return before.length > 0 && personIds.some((id) => !had.has(id))
  }

  /** The clients any of whose records this push wrote: their episodes' report facts are recomputed. */
  changedClients(): string[] {
    return [...this.changed]
  }

  /** Inserts the new records put so far; call before reading records with SQL (chains, re-stamping). */
  async writeRecords(): Promise<void> {
    const rows = [...this.pending.values()]
    this.pending.clear()
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.trx
        .insertInto('records')
        .values(rows.slice(i, i + CHUNK))
        .execute()
    }
  }

  async flush(): Promise<void> {
    await this.writeRecords()
    for (let i = 0; i < this.log.length; i += CHUNK) {
      await this.trx
        .insertInto('change_log')
        .values(this.log.slice(i, i + CHUNK))
        .execute()
    }
    this.log.length = 0
  }
}
