// How records lie in the IndexedDB tables: an AES-GCM box plus the few index fields, sealed with the unlocked practitioner's keys.
/*
 * A sealed row keeps in the clear only what an index needs: random ids, times, the form's
 * status, and for clients a keyed hash of the code (present only while the client is active, so
 * that the index enforces "one active client per code" without holding the code). Everything
 * clinical (the code, birth year, scores, items, reasons) is in `box`, bound to its table and id.
 *
 * A row without `box` is a plain row: written by a version before encryption (schema v2) or by
 * a database opened without `requireKeys` (tests of other layers). Plain rows are read as they
 * are, and `sealPlainRows` seals them under the first practitioner who unlocks.
 *
 * Rows sealed under another practitioner's key (another `kid`) are invisible: they are skipped
 * before any decryption is tried.
 */
import { type DataKeys, keyedHash, type Sealed, seal, unseal } from './crypto.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import type { StoredAdministration, StoredClient, StoredEpisode } from './records.ts'

export type RecordTable = 'clients' | 'episodes' | 'administrations' | 'outbox' | 'meta'

/** Fields every row may carry besides the record's own. */
export interface RowFrame {
  /** Changes on every write; the optimistic write checks the generation, this helps debugging. */
  rev?: string
  /** Which practitioner's key sealed the box. */
  kid?: string
  box?: Sealed
}

export type ClientRow = RowFrame & { id: string; codeKey?: string } & Partial<StoredClient>
export type EpisodeRow = RowFrame & { id: string } & Partial<StoredEpisode>
export type AdministrationRow = RowFrame & { id: string } & Partial<StoredAdministration>

/** The keys to seal with, or null when rows stay plain; throws when keys are required and locked. */
export function keysFor(db: LinjaDb): DataKeys | null {
  if (db.keys) return db.keys
  if (db.requireKeys) throw new StorageError('locked', 'Linja is locked: unlock with the PIN.')
  return null
}

function context(table: RecordTable, id: string | number): string {
  return `${table}:${id}`
}

function newRev(): string {
  return crypto.randomUUID()
}

/** The row for `record`: sealed with the keys, or plain. `index` are the fields kept in the clear. */
export async function encodeRow<R extends { id: string }>(
  db: LinjaDb,
  table: RecordTable,
  record: R,
  index: Record<string, unknown>,
): Promise<RowFrame & { id: string }> {
  const keys = keysFor(db)
  if (!keys) return { ...record, ...index, rev: newRev() }
  return {
    id: record.id,
    ...index,
    rev: newRev(),
    kid: keys.kid,
    box: await seal(keys, record, context(table, record.id)),
  }
}

/** The record in `row`, or undefined when the row is another practitioner's (or absent). */
export async function decodeRow<R>(
  db: LinjaDb,
  table: RecordTable,
  row: (RowFrame & { id: string }) | undefined,
): Promise<R | undefined> {
  if (!row) return undefined
  if (row.box === undefined) {
    const { rev: _rev, kid: _kid, box: _box, codeKey: _code, ...plain } = row as ClientRow
    return plain as unknown as R
  }
  const keys = keysFor(db)
  if (!keys || row.kid !== keys.kid) return undefined
  return unseal<R>(keys, row.box, context(table, row.id))
}

export async function decodeRows<R>(
  db: LinjaDb,
  table: RecordTable,
  rows: readonly (RowFrame & { id: string })[],
): Promise<R[]> {
  const keys = keysFor(db)
  const mine = rows.filter((r) => r.box === undefined || (keys !== null && r.kid === keys.kid))
  const out = await Promise.all(mine.map((r) => decodeRow<R>(db, table, r)))
  return out.filter((r): r is Awaited<R> => r !== undefined) as R[]
}

/** What the code index holds: a keyed hash of the lower-cased code, or the code itself on plain rows. */
export async function codeKeyOf(db: LinjaDb, code: string): Promise<string> {
  const needle = code.trim().toLowerCase()
  const keys = keysFor(db)
  return keys ? `h:${await keyedHash(keys, needle)}` : `p:${needle}`
}

export async function encodeClient(db: LinjaDb, client: StoredClient): Promise<ClientRow> {
  const index: Record<string, unknown> = { updatedAt: client.updatedAt }
  if (client.archivedAt === null) index.codeKey = await codeKeyOf(db, client.code)
  return encodeRow(db, 'clients', client, index)
}

export async function encodeEpisode(db: LinjaDb, episode: StoredEpisode): Promise<EpisodeRow> {
  return encodeRow(db, 'episodes', episode, {
    clientId: episode.clientId,
    updatedAt: episode.updatedAt,
  })
}

export async function encodeAdministration(
  db: LinjaDb,
  a: StoredAdministration,
): Promise<AdministrationRow> {
  return encodeRow(db, 'administrations', a, {
    clientId: a.clientId,
    markedAt: a.markedAt,
    episodeId: a.episodeId,
    status: a.status,
    groupSessionId: a.groupSessionId,
    versionOf: a.versionOf,
    updatedAt: a.updatedAt,
  })
}

/** A value for the meta table that holds clinical data (conflicts, offline copies of screens). */
export async function encodeMetaValue(db: LinjaDb, key: string, value: unknown): Promise<unknown> {
  const keys = keysFor(db)
  if (!keys) return value
  return { kid: keys.kid, box: await seal(keys, value, context('meta', key)) }
}

export async function decodeMetaValue(db: LinjaDb, key: string, stored: unknown): Promise<unknown> {
  if (stored === null || typeof stored !== 'object' || !('box' in stored)) return stored
  const { kid, box } = stored as { kid?: string; box: Sealed }
  const keys = keysFor(db)
  if (!keys || kid !== keys.kid) return undefined
  return unseal(keys, box, context('meta', key))
}
