// Shapes of the records Linja keeps in IndexedDB on the device (see db.ts for the tables).
import type {
  AdministrationPayload,
  ClientPayload,
  EpisodePayload,
} from '../core/record-schemas.ts'
import { SYNC_ENTITIES, SYNC_OPS, type SyncEntity, type SyncOp } from '../core/sync-protocol.ts'
import type { Sealed } from './crypto.ts'

// The record shapes are declared once, as the sync protocol's schemas (src/core/record-schemas.ts).
export type {
  CollectedBy,
  EpisodeReopening,
  VoidMark,
} from '../core/index.ts'
export { CLIENT_CODE_MAX_LENGTH, COLLECTED_BY } from '../core/index.ts'

/** Ways a form reaches Linja other than a mark on the tablet: typed from paper or read over the phone. */
export const TYPED_COLLECTION = ['paper', 'phone'] as const
export type TypedCollection = (typeof TYPED_COLLECTION)[number]

export const OUTBOX_ENTITIES = SYNC_ENTITIES
export type OutboxEntity = SyncEntity

export const OUTBOX_OPS = SYNC_OPS
export type OutboxOp = SyncOp

/** A pseudonymous client as the device keeps it: the synced record, plus whether it is only lent. */
export type StoredClient = ClientPayload & {
  /** A supervisee's client, synced for reading only (the server's access 'read'); absent when one's own. */
  readOnly?: true
}

export type StoredEpisode = EpisodePayload

export type StoredAdministration = AdministrationPayload

export type OutboxPayload = StoredClient | StoredEpisode | StoredAdministration

/** An entity with its record: the record's shape follows from the entity. */
export type OutboxRecord =
  | { entity: 'client'; payload: StoredClient }
  | { entity: 'episode'; payload: StoredEpisode }
  | { entity: 'administration'; payload: StoredAdministration }

export type OutboxEntry = OutboxRecord & {
  /** Device sequence: IndexedDB's key generator, which only grows, even after deletes. */
  seq: number
  opId: string
  deviceId: string
  entityId: string
  op: OutboxOp
  /** For corrections: the id of the version the correction was made from. */
  baseVersion?: string
  createdAt: string
}

/** An outbox entry as it lies in IndexedDB: the payload sealed in `box` (or plain, see sealing.ts). */
export interface OutboxRow {
  seq: number
  opId: string
  deviceId: string
  entity: OutboxEntity
  entityId: string
  op: OutboxOp
  payload?: OutboxPayload
  baseVersion?: string
  createdAt: string
  kid?: string
  box?: Sealed
}

export interface MetaEntry {
  key: string
  value: unknown
}

/** Short names used by the state and UI layers. */
export type Client = StoredClient
export type Episode = StoredEpisode
export type Administration = StoredAdministration
