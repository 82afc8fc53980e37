// What the pushes of one group commit share: the rows they read, fetched in a few queries for the
// whole group, and the rows they write, kept in memory and written in a few multi-row statements
// before the commit. A push of one form then costs no statement of its own.

import { deleteIn, everyColumn, insertRows, selectIn } from '../db/bulk-sql.ts'
import type {
  AppliedOpsTable,
  ChangeLogTable,
  ConflictsTable,
  DeviceKeysTable,
  RecordsTable,
} from '../db/schema.ts'
import type { SeqAllocator, Trx } from './store.ts'

export const RECORD_COLUMNS = everyColumn<RecordsTable>()([
  'id',
  'entity',
  'client_id',
  'owner_id',
  'unit_id',
  'chain_id',
  'voided',
  'superseded_by',
  'server_seq',
  'payload',
  'updated_at',
])
const LOG_COLUMNS = everyColumn<ChangeLogTable>()([
  'seq',
  'record_id',
  'op',
  'device_id',
  'person_id',
  'at',
])
const APPLIED_COLUMNS = everyColumn<AppliedOpsTable>()([
  'device_id',
  'device_seq',
  'op_id',
  'content_hash',
  'person_id',
  'result',
  'applied_at',
])
const CONFLICT_COLUMNS = everyColumn<ConflictsTable>()([
  'id',
  'kind',
  'record_id',
  'chain_id',
  'base_version',
  'server_version',
  'reason',
  'payload',
  'device_id',
  'person_id',
  'created_at',
])
const KEY_COLUMNS = everyColumn<DeviceKeysTable>()([
  'device_id',
  'key_hash',
  'person_id',
  'device_session_id',
  'bound_at',
])

/** What one push will read, known before its group's transaction so the group reads it at once. */
export interface PushPlan {
  deviceId: string
  personId: string
  /** Every record id the push names: entities, base versions, clients, episodes. */
  recordIds: readonly string[]
  /** The clients whose access the push checks. */
  clientIds: readonly string[]
}

/** Rows written but not yet sent to the database: one push's, or the group's so far. */
export class Writes {
  readonly inserts = new Map<string, RecordsTable>()
  readonly updates = new Map<string, RecordsTable>()
  readonly log: ChangeLogTable[] = []
  readonly applied: AppliedOpsTable[] = []
  readonly conflicts: ConflictsTable[] = []
  readonly keys: DeviceKeysTable[] = []
  /** Client → everyone who may write it: replaces the client's client_access rows. */
  readonly access = new Map<string, readonly string[]>()

  /** Hands these rows to `target` (a push that succeeded hands its rows to its group). */
  moveInto(target: Writes): void {
    for (const [id, row] of this.inserts) target.inserts.set(id, row)
    for (const [id, row] of this.updates) target.updates.set(id, row)
    target.log.push(...this.log)
    target.applied.push(...this.applied)
    target.conflicts.push(...this.conflicts)
    target.keys.push(...this.keys)
    for (const [id, people] of this.access) target.access.set(id, people)
    this.clear()
  }

  private clear(): void {
    this.inserts.clear()
    this.updates.clear()
    this.log.length = 0
    this.applied.length = 0
    this.conflicts.length = 0
    this.keys.length = 0
    this.access.clear()
  }

  /** Sends every row to the database, a few statements for all of them. */
  async write(trx: Trx): Promise<void> {
    await insertRows(trx, 'records', RECORD_COLUMNS, [...this.inserts.values()])
    for (const row of this.updates.values())
      await trx.updateTable('records').set(row).where('id', '=', row.id).execute()
    await insertRows(trx, 'change_log', LOG_COLUMNS, this.log)
    await insertRows(trx, 'applied_ops', APPLIED_COLUMNS, this.applied)
    await insertRows(trx, 'conflicts', CONFLICT_COLUMNS, this.conflicts)
    // One row a statement: a key bound twice in one batch keeps the first, as it always did.
    for (const key of this.keys)
      await insertRows(
        trx,
        'device_keys',
        KEY_COLUMNS,
        [key],
        'on conflict ("device_id") do nothing',
      )
    await deleteIn(trx, 'client_access', 'client_id', [...this.access.keys()])
    const rows = [...this.access].flatMap(([clientId, people]) =>
      [...new Set(people)].map((personId) => ({ client_id: clientId, person_id: personId })),
    )
    await insertRows(trx, 'client_access', ['client_id', 'person_id'], rows)
    this.clear()
  }
}

/**
 * The state of one group commit: what its pushes read (the database as of the transaction's
 * start, plus what the pushes before in the group wrote) and what they wrote. Only pushes that
 * succeeded are in it; a refused push's reads and writes stay in its own RecordCache.
 */
export class CommitGroup {
  readonly records = new Map<string, RecordsTable | null>()
  /** Client → the people on its client_access list. */
  readonly access = new Map<string, ReadonlySet<string>>()
  /** Device id → its key's hash, null when the device id is not bound. */
  readonly keyHashes = new Map<string, string | null>()
  /** Device id → the last seq applied from it. */
  readonly lastSeq = new Map<string, number>()
  /** Person → their units that are not retired. */
  readonly units = new Map<string, ReadonlySet<string>>()
  readonly writes = new Writes()
  /** Clients any push of the group changed: their episodes' report facts are recomputed once. */
  readonly changedClients = new Set<string>()

  constructor(
    readonly trx: Trx,
    readonly seq: SeqAllocator,
    /** More than one push shares the transaction: each push that writes with SQL needs a savepoint. */
    readonly shared: boolean,
  ) {}

  /** Reads what every push of the group will ask for: five queries, whatever the group's size. */
  async prefetch(plans: readonly PushPlan[]): Promise<void> {
    const devices = [...new Set(plans.map((p) => p.deviceId))]
    const people = [...new Set(plans.map((p) => p.personId))]
    await this.loadRecords(plans.flatMap((p) => p.recordIds))
    await this.loadAccess(plans.flatMap((p) => p.clientIds))
    for (const id of devices) this.keyHashes.set(id, null)
    const keys = await this.trx
      .selectFrom('device_keys')
      .select(['device_id', 'key_hash'])
      .where('device_id', 'in', devices)
      .execute()
    for (const k of keys) this.keyHashes.set(k.device_id, k.key_hash)
    for (const id of devices) this.lastSeq.set(id, 0)
    const last = await this.trx
      .selectFrom('applied_ops')
      .select((eb) => ['device_id', eb.fn.max('device_seq').as('last')])
      .where('device_id', 'in', devices)
      .groupBy('device_id')
      .execute()
    for (const l of last) this.lastSeq.set(l.device_id, Number(l.last ?? 0))
    const units = await this.trx
      .selectFrom('unit_members')
      .innerJoin('units', 'units.id', 'unit_members.unit_id')
      .select(['unit_members.person_id', 'units.id'])
      .where('unit_members.person_id', 'in', people)
      .where('units.retired', '=', 0)
      .execute()
    const byPerson = new Map<string, Set<string>>(people.map((p) => [p, new Set()]))
    for (const u of units) byPerson.get(u.person_id)?.add(u.id)
    for (const [person, set] of byPerson) this.units.set(person, set)
  }

  private async loadRecords(ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => id !== '' && !this.records.has(id))
    for (const id of wanted) this.records.set(id, null)
    const rows = await selectIn(this.trx, 'records', RECORD_COLUMNS, 'id', wanted)
    for (const row of rows) this.records.set(row.id, row)
  }

  private async loadAccess(clientIds: readonly string[]): Promise<void> {
    const wanted = [...new Set(clientIds)].filter((id) => id !== '' && !this.access.has(id))
    const lists = new Map<string, Set<string>>(wanted.map((id) => [id, new Set()]))
    const rows = await selectIn(
      this.trx,
      'client_access',
      ['client_id', 'person_id'],
      'client_id',
      wanted,
    )
    for (const r of rows) lists.get(r.client_id)?.add(r.person_id)
    for (const [id, people] of lists) this.access.set(id, people)
  }

  /** Writes what the group's pushes wrote so far (before SQL must see it, and before the commit). */
  flush(): Promise<void> {
    return this.writes.write(this.trx)
  }
}
