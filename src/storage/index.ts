// The storage layer's public surface: the IndexedDB database, its repositories and the outbox.
export type { ListOptions } from './administration-queries.ts'
export {
  findDrafts,
  getAdministration,
  listAllAdministrations,
  listForClient,
} from './administration-queries.ts'
export type { NewDraft, TypedForm } from './administrations-repo.ts'
export {
  discardDraft,
  finalize,
  recordTyped,
  saveMark,
  startDraft,
} from './administrations-repo.ts'
export type { ClientListOptions, ClientPatch, NewClient } from './clients-repo.ts'
export {
  createClient,
  getClient,
  listClients,
  updateClient,
} from './clients-repo.ts'
export { toCoreAdministration, toCoreEpisode } from './core-mapping.ts'
export type { CorrectionInput } from './corrections.ts'
export { correct, voidAdministration } from './corrections.ts'
export type { LinjaDbOptions } from './db.ts'
export {
  DEFAULT_DB_NAME,
  LinjaDb,
  openLinjaDb,
  SCHEMA_V1,
  SCHEMA_V2,
  SCHEMA_V3,
} from './db.ts'
export type { EndEpisodeInput } from './episodes-repo.ts'
export {
  endEpisode,
  getEpisode,
  listAllEpisodes,
  listEpisodes,
  openEpisodeFor,
  REOPEN_REASON_MAX_LENGTH,
  reopenEpisode,
  startNewEpisode,
} from './episodes-repo.ts'
export type { StorageErrorCode, StorageErrorDetails } from './errors.ts'
export { isQuotaError, isStorageError, STORAGE_ERROR_CODES, StorageError } from './errors.ts'
export {
  deleteMeta,
  getMeta,
  getSealedMeta,
  META_KEYS,
  setMeta,
  setSealedMeta,
} from './meta.ts'
export type { PreparedEntry } from './outbox.ts'
export {
  countAllPending,
  countPending,
  countWaiting,
  decodeOutbox,
  getDeviceId,
  pendingOutbox,
  prepareEntry,
} from './outbox.ts'
export type {
  Administration,
  Client,
  CollectedBy,
  Episode,
  EpisodeReopening,
  MetaEntry,
  OutboxEntity,
  OutboxEntry,
  OutboxOp,
  OutboxPayload,
  OutboxRecord,
  OutboxRow,
  StoredAdministration,
  StoredClient,
  StoredEpisode,
  TypedCollection,
  VoidMark,
} from './records.ts'
export {
  CLIENT_CODE_MAX_LENGTH,
  COLLECTED_BY,
  OUTBOX_ENTITIES,
  OUTBOX_OPS,
  TYPED_COLLECTION,
} from './records.ts'
export type { RefusedChange, RemoteApplyResult, RemoteChange } from './remote.ts'
export { applyRemoteChanges, planRemoveRefused } from './remote.ts'
export { sealPlainRows } from './seal-plain.ts'
export type { AdministrationRow, ClientRow, EpisodeRow } from './sealing.ts'
export { encodeMetaValue, keysFor } from './sealing.ts'
export { isCountedRecord, nextSessionFor, nextSessionNumber } from './sessions.ts'
export type { WipeNotice } from './wipe.ts'
export { forgetKey, getWipeNotice, WIPE_NOTICE_KEY, wipeDevice } from './wipe.ts'
export { GENERATION_KEY, plannedWrite, writeTransaction } from './write.ts'
