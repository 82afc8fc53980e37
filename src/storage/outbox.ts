// The transactional outbox in IndexedDB: changes waiting for the sync server, in device sequence order, payloads sealed.
import Dexie from 'dexie'
import { v7 as uuidv7 } from 'uuid'
import { seal, unseal } from './crypto.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { getDeviceId } from './meta.ts'
import type { OutboxEntry, OutboxOp, OutboxPayload, OutboxRecord, OutboxRow } from './records.ts'
import { keysFor } from './sealing.ts'

export { getDeviceId } from './meta.ts'

export type NewOutboxEntry = OutboxRecord & {
  entityId: string
  op: OutboxOp
  baseVersion?: string
}

/** An entry ready to be added: its payload already sealed (before the transaction opens). */
export type PreparedEntry = Omit<OutboxRow, 'seq' | 'deviceId'>

const contextOf = (opId: string) => `outbox:${opId}`

/** Seals the entry's payload. Call it before the record's transaction; `enqueue` adds it inside. */
export async function prepareEntry(db: LinjaDb, entry: NewOutboxEntry): Promise<PreparedEntry> {
  const opId = uuidv7()
  const keys = keysFor(db)
  const row: PreparedEntry = {
    opId,
    entity: entry.entity,
    entityId: entry.entityId,
    op: entry.op,
    createdAt: db.nowISO(),
  }
  if (entry.baseVersion !== undefined) row.baseVersion = entry.baseVersion
  if (keys) {
    row.kid = keys.kid
    row.box = await seal(keys, entry.payload, contextOf(opId))
  } else {
    row.payload = entry.payload
  }
  return row
}

/**
 * Adds one prepared entry. Call it ONLY inside the transaction that writes the record (its scope
 * must include `outbox` and `meta` read-write), so that the record and its entry commit together.
 */
export async function enqueue(db: LinjaDb, entry: PreparedEntry): Promise<number> {
  if (!Dexie.currentTransaction) {
    throw new StorageError(
      'invalid-argument',
      'An outbox entry must be written in its record’s transaction.',
    )
  }
  const deviceId = await getDeviceId(db)
  return db.outbox.add({ ...entry, deviceId } as OutboxRow)
}

/** A plain entry (written before encryption) sealed under the unlocked keys; same seq and op id. */
export async function sealOutboxRow(db: LinjaDb, row: OutboxRow): Promise<OutboxRow> {
  const keys = keysFor(db)
  if (!keys || row.box !== undefined || row.payload === undefined) return row
  const { payload, ...rest } = row
  return { ...rest, kid: keys.kid, box: await seal(keys, payload, contextOf(row.opId)) }
}

/**
 * The entries with their payloads opened. Entries sealed by another practitioner's key are left
 * out (null in `raw` order is never returned): only their owner can send them.
 */
export async function decodeOutbox(
  db: LinjaDb,
  rows: readonly OutboxRow[],
): Promise<OutboxEntry[]> {
  const keys = keysFor(db)
  const out: OutboxEntry[] = []
  // An entry's entity and payload were written together by prepareEntry (a NewOutboxEntry).
  const entry = (rest: Omit<OutboxRow, 'payload'>, payload: OutboxPayload) =>
    ({ ...rest, payload }) as OutboxEntry
  for (const row of rows) {
    const { box, kid, payload, ...rest } = row
    if (box === undefined) {
      if (payload !== undefined) out.push(entry(rest, payload))
      continue
    }
    if (!keys || kid !== keys.kid) continue
    out.push(entry(rest, await unseal<OutboxPayload>(keys, box, contextOf(row.opId))))
  }
  return out
}

/** Oldest entries first, in device sequence order. */
export async function pendingOutbox(db: LinjaDb, limit = 100): Promise<OutboxEntry[]> {
  return decodeOutbox(db, await db.outbox.orderBy('seq').limit(limit).toArray())
}

/**
 * Entries waiting to be sent by whoever is unlocked: another practitioner's entries on a shared
 * tablet are theirs to send (and to be warned about), not this person's. With no key open, every
 * entry counts.
 */
export async function countPending(db: LinjaDb): Promise<number> {
  const kid = db.keys?.kid
  if (!kid) return db.outbox.count()
  return db.outbox.filter((row) => row.kid === undefined || row.kid === kid).count()
}

/**
 * What waits, counted as a person made it: each client (with its episodes) once, each form once;
 * the outbox holds several entries for one new client (the client and its first episode).
 */
export async function countWaiting(db: LinjaDb): Promise<number> {
  const kid = db.keys?.kid
  const rows = await db.outbox
    .filter((row) => !kid || row.kid === undefined || row.kid === kid)
    .toArray()
  const clients = new Set<string>()
  const forms = new Set<string>()
  const episodeIds = rows.filter((r) => r.entity === 'episode').map((r) => r.entityId)
  const episodes = await db.episodes.bulkGet(episodeIds)
  const clientOfEpisode = new Map(episodes.flatMap((e) => (e ? [[e.id, e.clientId] as const] : [])))
  for (const row of rows) {
    if (row.entity === 'client') clients.add(row.entityId)
    else if (row.entity === 'episode')
      clients.add(clientOfEpisode.get(row.entityId) ?? `episode:${row.entityId}`)
    else forms.add(row.entityId)
  }
  return clients.size + forms.size
}

/** Every entry waiting on the device, all practitioners' together (a wipe loses them all). */
export async function countAllPending(db: LinjaDb): Promise<number> {
  return db.outbox.count()
}
