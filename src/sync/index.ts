// The sync layer's public surface: engine, scheduler, transport, status and conflicts.
export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay } from './backoff.ts'
export type { SyncConflict } from './conflicts.ts'
export { CONFLICTS_KEY, dismissConflict, loadConflicts } from './conflicts.ts'
export type { LogoutResult, SyncEngine, SyncEngineOptions, SyncTrigger } from './engine.ts'
export {
  createSyncEngine,
  INVALID_RECORD,
  LAST_SUCCESS_KEY,
  NO_SYNC_ROLE,
  SecondFactorRequired,
  STOPPED_KEY,
} from './engine.ts'
export type { SyncErrorBody, SyncFailureCode } from './errors.ts'
export { isSyncHttpError, NETWORK_ERROR, SyncHttpError } from './errors.ts'
export type { SyncLock } from './lock.ts'
export { SYNC_LOCK_NAME, webLock } from './lock.ts'
export type { SchedulerEnv, SyncScheduler } from './scheduler.ts'
export { browserEnv, PERIODIC_SYNC_MS, startSyncScheduler } from './scheduler.ts'
export type { DeviceSession } from './session.ts'
export { loadCursor, loadSession, SESSION_KEYS, saveSession } from './session.ts'
export type { StatusListener, SyncState, SyncStatus } from './status.ts'
export { SYNC_STATES } from './status.ts'
export type {
  AuthAnswer,
  DirectoryAuthAnswer,
  SecondFactorProof,
  SecondFactorStep,
  SessionPerson,
  SyncTransport,
  TotpEnrolment,
} from './transport.ts'
export { exchangeOidcCode, httpTransport, oidcOffered, startOidcSignIn } from './transport.ts'
