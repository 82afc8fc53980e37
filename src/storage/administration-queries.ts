// Read-only queries over administrations stored (sealed) in IndexedDB; decryption after each read.
import Dexie from 'dexie'
import type { LinjaDb } from './db.ts'
import type { StoredAdministration } from './records.ts'
import type { AdministrationRow } from './sealing.ts'
import { decodeRow, decodeRows } from './sealing.ts'

const open = (db: LinjaDb, rows: AdministrationRow[]) =>
  decodeRows<StoredAdministration>(db, 'administrations', rows)

export interface ListOptions {
  includeSuperseded?: boolean
  includeVoided?: boolean
  includeDrafts?: boolean
}

function keep(options: ListOptions): (a: StoredAdministration) => boolean {
  return (a) =>
    (options.includeDrafts === true || a.status !== 'draft') &&
    (options.includeVoided === true || a.voided === null) &&
    (options.includeSuperseded === true || a.supersededBy === null)
}

export async function getAdministration(
  db: LinjaDb,
  id: string,
): Promise<StoredAdministration | undefined> {
  return decodeRow<StoredAdministration>(db, 'administrations', await db.administrations.get(id))
}

/** The client's forms in markedAt order (ties in creation order); by default only current final versions. */
export async function listForClient(
  db: LinjaDb,
  clientId: string,
  options: ListOptions = {},
): Promise<StoredAdministration[]> {
  const rows = await db.administrations
    .where('[clientId+markedAt]')
    .between([clientId, Dexie.minKey], [clientId, Dexie.maxKey])
    .toArray()
  return (await open(db, rows)).filter(keep(options))
}

/** Unfinished forms to resume or discard, most recently touched first. */
export async function findDrafts(
  db: LinjaDb,
  options: { clientId?: string } = {},
): Promise<StoredAdministration[]> {
  const drafts = await open(db, await db.administrations.where('status').equals('draft').toArray())
  return drafts
    .filter((d) => options.clientId === undefined || d.clientId === options.clientId)
    .sort((a, b) => compare(b.updatedAt, a.updatedAt) || compare(b.id, a.id))
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Every form on the device in one read (the client list summarises them all at once). */
export async function listAllAdministrations(
  db: LinjaDb,
  options: ListOptions = {},
): Promise<StoredAdministration[]> {
  return (await open(db, await db.administrations.toArray())).filter(keep(options))
}
