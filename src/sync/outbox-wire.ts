// Maps outbox entries (IndexedDB key order) to the gapless per-device sequence the server expects, kept in the meta table.

import type { OpResult, PushOperation, PushResponse } from '../core/sync-protocol.ts'
import type { LinjaDb, OutboxEntry, OutboxRow } from '../storage/index.ts'
import { decodeOutbox, keysFor, plannedWrite, planRemoveRefused } from '../storage/index.ts'
import { isRefusal, planAppendConflicts, type SyncConflict } from './conflicts.ts'

/*
 * Why a map: the outbox key generator only grows, but it is not reset when a wiped device starts
 * again with a new device id, and a server restored from a backup expects an earlier number
 * (S6 seq_gap). Wire numbers are given once, in outbox order, and stored before the push, so a
 * retry sends byte-for-byte the same operation (S4).
 */
export const WIRE_KEY = 'sync.wire'

interface WireMap {
  deviceId: string
  lastWire: number
  /** [outbox seq, wire seq] of every entry sent at least once and not yet acknowledged. */
  pairs: [number, number][]
}

export interface PushBatch {
  deviceId: string
  operations: PushOperation[]
  entries: OutboxEntry[]
}

async function readMap(db: LinjaDb, deviceId: string): Promise<WireMap> {
  const value = (await db.meta.get(WIRE_KEY))?.value as WireMap | undefined
  if (!value || value.deviceId !== deviceId || !Array.isArray(value.pairs)) {
    return { deviceId, lastWire: 0, pairs: [] }
  }
  return value
}

function toOperation(entry: OutboxEntry, wire: number): PushOperation {
  const sent = {
    seq: wire,
    opId: entry.opId,
    deviceId: entry.deviceId,
    entityId: entry.entityId,
    op: entry.op,
    createdAt: entry.createdAt,
    ...(entry.baseVersion === undefined ? {} : { baseVersion: entry.baseVersion }),
  }
  // Spelled out per entity so the payload's type follows the entity, as the wire schema says.
  if (entry.entity === 'client') return { ...sent, entity: entry.entity, payload: entry.payload }
  if (entry.entity === 'episode') return { ...sent, entity: entry.entity, payload: entry.payload }
  return { ...sent, entity: entry.entity, payload: entry.payload }
}

/**
 * The oldest entries of one device id (at most `max`), numbered for the wire; null when nothing
 * waits. Only the unlocked practitioner's entries: another's stay sealed until they sign in.
 * Their payloads are opened after the transaction.
 */
export async function prepareBatch(db: LinjaDb, max: number): Promise<PushBatch | null> {
  const keys = keysFor(db)
  const mine = (r: OutboxRow) => r.box === undefined || (keys !== null && r.kid === keys.kid)
  const numbered = await db.transaction('rw', [db.outbox, db.meta], async () => {
    const oldest = await db.outbox.orderBy('seq').filter(mine).limit(max).toArray()
    const first = oldest[0]
    if (!first) return null
    // One push speaks for one device id (S18): stop where an older device id's entries end.
    const end = oldest.findIndex((e) => e.deviceId !== first.deviceId)
    const entries = end === -1 ? oldest : oldest.slice(0, end)
    const map = await readMap(db, first.deviceId)
    const known = new Map(map.pairs)
    const operations = entries.map((entry) => {
      let wire = known.get(entry.seq)
      if (wire === undefined) {
        map.lastWire += 1
        wire = map.lastWire
        map.pairs.push([entry.seq, wire])
        known.set(entry.seq, wire)
      }
      return wire
    })
    await db.meta.put({ key: WIRE_KEY, value: map })
    return { deviceId: first.deviceId, wires: operations, rows: entries }
  })
  if (!numbered) return null
  const entries = await decodeOutbox(db, numbered.rows)
  const operations = entries.map((entry, i) => toOperation(entry, numbered.wires[i] ?? 0))
  return { deviceId: numbered.deviceId, operations, entries }
}

/**
 * S6: the server has nothing of this device id from `expected` on (restored or new database, or
 * numbers taken by another practitioner's changes that were tried and never arrived): the
 * waiting entries numbered from there are numbered again, `sending` (outbox seqs of the refused
 * batch) first. Another practitioner's entries cannot be sent now (sealed under their key): left
 * in front, they would hold this practitioner's changes back until the other signs in again.
 * Numbers below `expected` stay: the server has them, and a resend is then a duplicate.
 */
export async function renumberFrom(
  db: LinjaDb,
  deviceId: string,
  expected: number,
  sending: readonly number[] = [],
): Promise<void> {
  await db.transaction('rw', [db.meta], async () => {
    const map = await readMap(db, deviceId)
    const first = new Set(sending)
    const kept = map.pairs.filter(([, wire]) => wire < expected)
    const moved = map.pairs.filter(([, wire]) => wire >= expected)
    const order = [
      ...moved.filter(([local]) => first.has(local)),
      ...moved.filter(([local]) => !first.has(local)),
    ]
    map.pairs = [...kept, ...order.map(([local], i): [number, number] => [local, expected + i])]
    map.lastWire = expected - 1 + order.length
    await db.meta.put({ key: WIRE_KEY, value: map })
  })
}

export interface Settled {
  removed: number
  refusals: SyncConflict[]
}

function conflictOf(
  result: OpResult,
  op: PushOperation,
  entry: OutboxEntry,
  at: string,
): SyncConflict | null {
  if (!isRefusal(result)) return null
  return {
    opId: op.opId,
    status: result.status,
    entity: entry.entity,
    entityId: entry.entityId,
    op: entry.op,
    reason: result.reason ?? result.status,
    serverVersion: result.serverVersion ?? null,
    payload: entry.payload,
    at,
  }
}

/**
 * S8, after the answer arrived and in its own transaction: removes every entry through
 * `ackedThrough`, keeps refused changes in the conflicts list and takes the refused versions out
 * of the local records (the pull brings the server's). Conflicts and records are sealed before
 * the transaction (plannedWrite).
 */
export async function settlePush(
  db: LinjaDb,
  batch: PushBatch,
  answer: PushResponse,
): Promise<Settled> {
  const at = db.nowISO()
  return plannedWrite(db, [db.outbox, db.meta, db.administrations], async () => {
    const refusals: SyncConflict[] = []
    for (const result of answer.results) {
      const index = batch.operations.findIndex((o) => o.seq === result.seq)
      const op = batch.operations[index]
      const entry = batch.entries[index]
      if (!op || !entry || op.seq > answer.ackedThrough) continue
      const conflict = conflictOf(result, op, entry, at)
      if (conflict) refusals.push(conflict)
    }
    const storeConflicts = await planAppendConflicts(db, refusals)
    const removals: (() => Promise<boolean>)[] = []
    for (const refusal of refusals) {
      // The server never stored this version (a refused new version, or a void of one): it goes locally too.
      const notOnServer =
        refusal.entity === 'administration' &&
        (((refusal.op === 'create' || refusal.op === 'correct') &&
          refusal.reason !== 'already_exists') ||
          (refusal.op === 'void' && refusal.reason === 'unknown_record'))
      if (notOnServer) removals.push(await planRemoveRefused(db, refusal.entityId))
    }
    return async () => {
      const map = await readMap(db, batch.deviceId)
      const done = map.pairs.filter(([, wire]) => wire <= answer.ackedThrough)
      map.pairs = map.pairs.filter(([, wire]) => wire > answer.ackedThrough)
      await db.meta.put({ key: WIRE_KEY, value: map })
      await db.outbox.bulkDelete(done.map(([local]) => local))
      await storeConflicts()
      for (const remove of removals) await remove()
      return { removed: done.length, refusals }
    }
  })
}
