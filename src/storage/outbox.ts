// The transactional outbox in IndexedDB: changes waiting for the sync server, in device sequence order.
import Dexie from 'dexie'
import { v7 as uuidv7 } from 'uuid'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { getDeviceId } from './meta.ts'
import type { OutboxEntity, OutboxEntry, OutboxOp, OutboxPayload } from './records.ts'
import { writeTransaction } from './write.ts'

export { getDeviceId } from './meta.ts'

export interface NewOutboxEntry {
  entity: OutboxEntity
  entityId: string
  op: OutboxOp
  payload: OutboxPayload
  baseVersion?: string
}

/**
 * Adds one entry. Call it ONLY inside the transaction that writes the record (its scope must
 * include `outbox` and `meta` read-write), so that the record and its entry commit together.
 */
export async function enqueue(db: LinjaDb, entry: NewOutboxEntry): Promise<number> {
  if (!Dexie.currentTransaction) {
    throw new StorageError(
      'invalid-argument',
      'An outbox entry must be written in its record’s transaction.',
    )
  }
  const deviceId = await getDeviceId(db)
  const row: Omit<OutboxEntry, 'seq'> = {
    opId: uuidv7(),
    deviceId,
    entity: entry.entity,
    entityId: entry.entityId,
    op: entry.op,
    payload: entry.payload,
    createdAt: db.nowISO(),
  }
  if (entry.baseVersion !== undefined) row.baseVersion = entry.baseVersion
  return db.outbox.add(row)
}

/** Oldest entries first, in device sequence order. */
export async function pendingOutbox(db: LinjaDb, limit = 100): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('seq').limit(limit).toArray()
}

export async function countPending(db: LinjaDb): Promise<number> {
  return db.outbox.count()
}

/**
 * Removes entries the server acknowledged: every entry up to and including `uptoSeq`, or exactly
 * the listed sequence numbers. Runs in its own transaction, after the push's response arrived.
 * Returns how many entries were removed.
 */
export async function acknowledge(db: LinjaDb, acked: number | readonly number[]): Promise<number> {
  return writeTransaction(db, [db.outbox], async () => {
    if (typeof acked === 'number') {
      if (!Number.isInteger(acked))
        throw new StorageError('invalid-argument', `Not a sequence number: ${acked}`)
      return db.outbox.where('seq').belowOrEqual(acked).delete()
    }
    const keys = [...new Set(acked)]
    const present = await db.outbox.where('seq').anyOf(keys).primaryKeys()
    await db.outbox.bulkDelete(present)
    return present.length
  })
}
