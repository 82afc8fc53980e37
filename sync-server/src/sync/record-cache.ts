// Per-push view of records and client access: lookups are cached for the length of one push transaction, and
// change-log rows are written in chunks at the end, so a batch of 500 operations costs fewer round trips.
import type { ChangeLogTable, RecordsTable } from '../db/schema.ts'
import type { ChangeMeta, SeqAllocator, Trx } from './store.ts'
import { setClientAccess } from './store.ts'

const CHUNK = 200

export class RecordCache {
  private readonly records = new Map<string, RecordsTable | null>()
  private readonly access = new Map<string, boolean>()
  private readonly readable = new Map<string, boolean>()
  private readonly log: ChangeLogTable[] = []
  private readonly changed = new Set<string>()

  constructor(private readonly trx: Trx) {}

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
    if (exists) {
      await this.trx.updateTable('records').set(full).where('id', '=', row.id).execute()
    } else {
      await this.trx.insertInto('records').values(full).execute()
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

  async flush(): Promise<void> {
    for (let i = 0; i < this.log.length; i += CHUNK) {
      await this.trx
        .insertInto('change_log')
        .values(this.log.slice(i, i + CHUNK))
        .execute()
    }
    this.log.length = 0
  }
}
