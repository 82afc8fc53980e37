// One push's view of records, client access, device keys and applied operations: what its group
// commit read and its earlier pushes wrote (commit-group.ts), with this push's own reads and writes
// on top, kept apart until the push succeeds, so a refused push leaves nothing behind.
import type {
  AppliedOpsTable,
  ConflictsTable,
  DeviceKeysTable,
  RecordsTable,
} from '../db/schema.ts'
import { type CommitGroup, Writes } from './commit-group.ts'
import type { ChangeMeta, Trx } from './store.ts'

export class RecordCache {
  private readonly records = new Map<string, RecordsTable | null>()
  private readonly access = new Map<string, ReadonlySet<string>>()
  private readonly keyHashes = new Map<string, string | null>()
  private readonly lastSeqs = new Map<string, number>()
  private readonly writes = new Writes()
  private readonly changed = new Set<string>()
  /** Set once this push has written with SQL inside its savepoint. */
  private inSql = false

  constructor(
    private readonly group: CommitGroup,
    /** Opens this push's savepoint (a no-op when the push is alone in its commit). */
    private readonly savepoint: () => Promise<void>,
  ) {}

  /** The shared transaction, for the reads that need SQL (after writeRecords()). */
  get trx(): Trx {
    return this.group.trx
  }

  async find(id: string): Promise<RecordsTable | undefined> {
    let row = this.records.has(id) ? this.records.get(id) : this.group.records.get(id)
    if (row === undefined) {
      row =
        (await this.trx
          .selectFrom('records')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst()) ?? null
      this.records.set(id, row)
    }
    return row ?? undefined
  }

  /** Inserts or replaces one record under a fresh server sequence number (written with the group). */
  put(
    row: Omit<RecordsTable, 'server_seq' | 'updated_at'>,
    meta: ChangeMeta,
    exists: boolean,
  ): number {
    const serverSeq = this.group.seq.next()
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
    const unwritten = this.writes.inserts.has(row.id) || this.group.writes.inserts.has(row.id)
    if (exists && !unwritten) this.writes.updates.set(row.id, full)
    else this.writes.inserts.set(row.id, full)
    this.records.set(row.id, full)
    this.changed.add(row.client_id)
    this.writes.log.push({
      seq: serverSeq,
      record_id: row.id,
      op: meta.op,
      device_id: meta.deviceId,
      person_id: meta.personId,
      at: meta.at,
    })
    return serverSeq
  }

  private async accessOf(clientId: string): Promise<ReadonlySet<string>> {
    let people = this.access.get(clientId) ?? this.group.access.get(clientId)
    if (!people) {
      const rows = await this.trx
        .selectFrom('client_access')
        .select('person_id')
        .where('client_id', '=', clientId)
        .execute()
      people = new Set(rows.map((r) => r.person_id))
      this.access.set(clientId, people)
    }
    return people
  }

  async canWrite(clientId: string, personId: string): Promise<boolean> {
    return (await this.accessOf(clientId)).has(personId)
  }

  /** True when one of `readers` (the caller, and a supervisor's supervisees) is listed on the client (S15). */
  async canRead(clientId: string, readers: readonly string[]): Promise<boolean> {
    const people = await this.accessOf(clientId)
    return readers.some((id) => people.has(id))
  }

  /** Replaces who may write the client; returns true when someone was added (the caller re-stamps its records). */
  async setAccess(clientId: string, personIds: readonly string[]): Promise<boolean> {
    const had = await this.accessOf(clientId)
    this.access.set(clientId, new Set(personIds))
    this.writes.access.set(clientId, personIds)
    return had.size > 0 && personIds.some((id) => !had.has(id))
  }

  /** The units this person may put a client in (S20). */
  async unitsOf(personId: string): Promise<ReadonlySet<string>> {
    const known = this.group.units.get(personId)
    if (known) return known
    const rows = await this.trx
      .selectFrom('unit_members')
      .innerJoin('units', 'units.id', 'unit_members.unit_id')
      .select('units.id')
      .where('unit_members.person_id', '=', personId)
      .where('units.retired', '=', 0)
      .execute()
    return new Set(rows.map((r) => r.id))
  }

  /** The last seq applied from this device (0: none). */
  async lastSeq(deviceId: string): Promise<number> {
    const known = this.lastSeqs.get(deviceId) ?? this.group.lastSeq.get(deviceId)
    if (known !== undefined) return known
    const row = await this.trx
      .selectFrom('applied_ops')
      .select((eb) => eb.fn.max('device_seq').as('last'))
      .where('device_id', '=', deviceId)
      .executeTakeFirst()
    return Number(row?.last ?? 0)
  }

  /** The stored result of an operation applied before, from this group or earlier commits. */
  async applied(
    deviceId: string,
    seq: number,
  ): Promise<Pick<AppliedOpsTable, 'content_hash' | 'result'> | undefined> {
    const match = (r: AppliedOpsTable) => r.device_id === deviceId && r.device_seq === seq
    const unwritten = this.writes.applied.find(match) ?? this.group.writes.applied.find(match)
    if (unwritten) return unwritten
    return this.trx
      .selectFrom('applied_ops')
      .select(['content_hash', 'result'])
      .where('device_id', '=', deviceId)
      .where('device_seq', '=', seq)
      .executeTakeFirst()
  }

  /** Records operations as applied; `last` is the device's seq after them. */
  markApplied(deviceId: string, rows: readonly AppliedOpsTable[], last: number): void {
    this.writes.applied.push(...rows)
    this.lastSeqs.set(deviceId, last)
  }

  /** The hash of the key this device id is bound to, or null (S21). */
  async keyHash(deviceId: string): Promise<string | null> {
    const known = this.keyHashes.get(deviceId) ?? this.group.keyHashes.get(deviceId)
    if (known !== undefined) return known
    const row = await this.trx
      .selectFrom('device_keys')
      .select('key_hash')
      .where('device_id', '=', deviceId)
      .executeTakeFirst()
    return row?.key_hash ?? null
  }

  bindKey(row: DeviceKeysTable): void {
    this.writes.keys.push(row)
    this.keyHashes.set(row.device_id, row.key_hash)
  }

  /**
   * Whether others have pushed with this device id and this person never has (S21: then it is
   * theirs). This person's own use is asked first: each question stops at its first matching
   * row, and asked the other way round, "someone else?" read every operation the device ever
   * pushed whenever the answer was no, which is the usual answer.
   */
  async usedOnlyByOthers(deviceId: string, personId: string): Promise<boolean> {
    const unwritten = [...this.group.writes.applied, ...this.writes.applied].filter(
      (r) => r.device_id === deviceId,
    )
    const used = async (other: boolean) =>
      unwritten.some((r) => (r.person_id !== personId) === other) ||
      (await this.trx
        .selectFrom('applied_ops')
        .select('person_id')
        .where('device_id', '=', deviceId)
        .where('person_id', other ? '<>' : '=', personId)
        .limit(1)
        .executeTakeFirst()) !== undefined
    if (await used(false)) return false
    return used(true)
  }

  keepConflict(row: ConflictsTable): void {
    this.writes.conflicts.push(row)
  }

  /**
   * Writes everything so far so SQL sees it (chains, re-stamping): the group's rows first, then
   * this push's inside its savepoint, which from here on undoes them should the push be refused.
   */
  async writeRecords(): Promise<void> {
    if (!this.inSql) {
      await this.group.flush()
      await this.savepoint()
      this.inSql = true
    }
    await this.writes.write(this.trx)
  }

  /** The push succeeded: what it read and wrote becomes its group's. */
  commitToGroup(): void {
    for (const [id, row] of this.records) this.group.records.set(id, row)
    for (const [id, people] of this.access) this.group.access.set(id, people)
    for (const [id, hash] of this.keyHashes) this.group.keyHashes.set(id, hash)
    for (const [id, last] of this.lastSeqs) this.group.lastSeq.set(id, last)
    for (const id of this.changed) this.group.changedClients.add(id)
    this.writes.moveInto(this.group.writes)
  }
}
