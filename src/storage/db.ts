// The Linja IndexedDB database (Dexie): clients, episodes, administrations, outbox and meta tables.
import Dexie, { type EntityTable, type Transaction } from 'dexie'
import type { DataKeys } from './crypto.ts'
import type { MetaEntry, OutboxRow } from './records.ts'
import type { AdministrationRow, ClientRow, EpisodeRow } from './sealing.ts'

export const DEFAULT_DB_NAME = 'linja'

/**
 * Version 1 is the first release's schema. It stays here, unchanged, so that a tablet still on
 * it upgrades step by step. Never edit a released version: add a new one with an upgrade.
 */
export const SCHEMA_V1 = {
  clients: 'id, code, updatedAt',
  episodes: 'id, clientId, updatedAt',
  administrations: 'id, [clientId+markedAt], episodeId, status, updatedAt',
  outbox: '++seq, opId, [entity+entityId]',
  meta: 'key',
} as const

/** v2: prefix search on a lower-cased code, group sessions and correction chains. */
export const SCHEMA_V2 = {
  clients: 'id, codeSearch, updatedAt',
  episodes: 'id, clientId, updatedAt',
  administrations:
    'id, [clientId+markedAt], episodeId, status, groupSessionId, versionOf, updatedAt',
  outbox: '++seq, opId, [entity+entityId]',
  meta: 'key',
} as const

/**
 * v3: records are sealed (sealing.ts). The code index holds a keyed hash of the code, and only
 * for active clients (uniqueness without the code in the clear); the lower-cased code is gone.
 */
export const SCHEMA_V3 = {
  clients: 'id, codeKey, updatedAt',
  episodes: 'id, clientId, updatedAt',
  administrations:
    'id, [clientId+markedAt], episodeId, status, groupSessionId, versionOf, updatedAt',
  outbox: '++seq, opId, [entity+entityId]',
  meta: 'key',
} as const

/**
 * v1 clients had no codeSearch and no archive mark; v1 administrations were always marked on
 * the tablet and knew no group sessions. Upgrades touch only the local shape: they add no
 * outbox entries, since no clinical value changes.
 */
async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx
    .table('clients')
    .toCollection()
    .modify((client: Record<string, unknown>) => {
      const code = typeof client.code === 'string' ? client.code.trim() : ''
      client.code = code
      client.codeSearch = code.toLowerCase()
      client.archivedAt ??= null
      client.practitionerIds ??= []
      client.unitId ??= null
    })
  await tx
    .table('administrations')
    .toCollection()
    .modify((adm: Record<string, unknown>) => {
      adm.collectedBy ??= 'tablet'
      adm.groupSessionId ??= null
      adm.memberLabel ??= null
      adm.versionOf ??= null
      adm.supersedes ??= null
      adm.supersededBy ??= null
      adm.correctionReason ??= null
      adm.voided ??= null
    })
}

/**
 * v2 rows stay plain here: an upgrade runs inside IndexedDB's version-change transaction, where
 * no crypto may run, and no key is unlocked yet. The code index moves to `codeKey` (still plain,
 * marked `p:`); sealPlainRows seals every such row after the first unlock.
 */
async function upgradeToV3(tx: Transaction): Promise<void> {
  await tx
    .table('clients')
    .toCollection()
    .modify((client: Record<string, unknown>) => {
      const code = typeof client.code === 'string' ? client.code.trim().toLowerCase() : ''
      if (client.archivedAt === null || client.archivedAt === undefined)
        client.codeKey = `p:${code}`
    })
}

export interface LinjaDbOptions {
  /** Pass fake-indexeddb's IDBFactory in tests. */
  indexedDB?: IDBFactory
  IDBKeyRange?: typeof IDBKeyRange
  /** Device clock; tests pass a fixed one. */
  now?: () => Date
  /** true: without unlocked keys every record read or write fails 'locked' (the app). */
  requireKeys?: boolean
}

export class LinjaDb extends Dexie {
  declare clients: EntityTable<ClientRow, 'id'>
  declare episodes: EntityTable<EpisodeRow, 'id'>
  declare administrations: EntityTable<AdministrationRow, 'id'>
  declare outbox: EntityTable<OutboxRow, 'seq'>
  declare meta: EntityTable<MetaEntry, 'key'>
  readonly now: () => Date
  /** true: without unlocked keys every record read or write fails 'locked'. */
  requireKeys: boolean
  /** The unlocked practitioner's keys, in memory only; null when locked. */
  keys: DataKeys | null = null

  constructor(name: string = DEFAULT_DB_NAME, options: LinjaDbOptions = {}) {
    const dexieOptions: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}
    if (options.indexedDB) dexieOptions.indexedDB = options.indexedDB
    if (options.IDBKeyRange) dexieOptions.IDBKeyRange = options.IDBKeyRange
    super(name, dexieOptions)
    this.now = options.now ?? (() => new Date())
    this.requireKeys = options.requireKeys ?? false
    this.version(1).stores(SCHEMA_V1)
    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2)
    this.version(3).stores(SCHEMA_V3).upgrade(upgradeToV3)
  }

  /** From now on records are sealed with, and read through, these keys. */
  unlock(keys: DataKeys): void {
    this.keys = keys
  }

  /** Drops the keys from memory: records can no longer be read or written until unlocked. */
  lock(): void {
    this.keys = null
  }

  nowISO(): string {
    return this.now().toISOString()
  }
}

/** The database handle; Dexie opens it on first use (await `db.open()` to surface errors early). */
export function openLinjaDb(name: string = DEFAULT_DB_NAME, options: LinjaDbOptions = {}): LinjaDb {
  return new LinjaDb(name, options)
}
