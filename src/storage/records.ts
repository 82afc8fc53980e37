// Shapes of the records Linja keeps in IndexedDB on the device (see db.ts for the tables).
import type {
  AdministrationStatus,
  AgeGroup,
  Ending,
  InstrumentId,
  Locale,
  Rater,
  StatusColour,
} from '../core/index.ts'
import type { Sealed } from './crypto.ts'

export const COLLECTED_BY = ['tablet', 'paper', 'phone'] as const
export type CollectedBy = (typeof COLLECTED_BY)[number]

/** Ways a form reaches Linja other than a mark on the tablet: typed from paper or read over the phone. */
export const TYPED_COLLECTION = ['paper', 'phone'] as const
export type TypedCollection = (typeof TYPED_COLLECTION)[number]

export const OUTBOX_ENTITIES = ['client', 'episode', 'administration'] as const
export type OutboxEntity = (typeof OUTBOX_ENTITIES)[number]

export const OUTBOX_OPS = ['create', 'update', 'correct', 'void', 'end'] as const
export type OutboxOp = (typeof OUTBOX_OPS)[number]

export const CLIENT_CODE_MAX_LENGTH = 32

/** A pseudonymous client. No names and no notes, by design. */
export interface StoredClient {
  id: string
  /** Chosen by the practitioner; unique among this device's active clients, ignoring case. */
  code: string
  /** `code` lower-cased, for prefix search and the uniqueness check. */
  codeSearch: string
  birthYear: number | null
  ageGroup: AgeGroup
  unitId: string | null
  practitionerIds: string[]
  /** A supervisee's client, synced for reading only (the server's access 'read'); absent when one's own. */
  readOnly?: true
  /** Set when the practitioner archives the client; an archived client's code may be reused. */
  archivedAt: string | null
  createdAt: string
  updatedAt: string
}

/** An ending taken back: what it was, when and why it was reopened. */
export interface EpisodeReopening {
  at: string
  reason: string
  endedAt: string
  ending: Ending | null
}

export interface StoredEpisode {
  id: string
  clientId: string
  startedAt: string
  endedAt: string | null
  ending: Ending | null
  /** Traffic-light status computed when the episode ended. */
  endStatus: StatusColour | null
  /** Endings taken back by mistake, oldest first; absent on episodes never reopened. */
  reopenings?: EpisodeReopening[]
  updatedAt: string
}

export interface VoidMark {
  reason: string
  at: string
}

export interface StoredAdministration {
  id: string
  clientId: string
  episodeId: string
  instrumentId: InstrumentId
  instrumentVersion: string
  /** Every item of the instrument; null = not yet marked (never the same as 0). */
  items: Record<string, number | null>
  total: number | null
  rater: Rater
  collectedBy: CollectedBy
  /** 1-based meeting number within the episode; see sessions.ts for the rule. */
  session: number
  /** Device clock of the latest mark or of finalisation. */
  markedAt: string
  startedAt: string
  status: AdministrationStatus
  /** Language the client saw. */
  locale: Locale
  groupSessionId: string | null
  memberLabel: string | null
  /** Id of the first version in a correction chain (null on a first version). */
  versionOf: string | null
  supersedes: string | null
  supersededBy: string | null
  correctionReason: string | null
  voided: VoidMark | null
  createdAt: string
  updatedAt: string
}

export type OutboxPayload = StoredClient | StoredEpisode | StoredAdministration

export interface OutboxEntry {
  /** Device sequence: IndexedDB's key generator, which only grows, even after deletes. */
  seq: number
  opId: string
  deviceId: string
  entity: OutboxEntity
  entityId: string
  op: OutboxOp
  /** The full record as it is after the change. */
  payload: OutboxPayload
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
