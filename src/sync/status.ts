// The sync status the app shows (in memory), with listeners.
import type { SyncConflict } from './conflicts.ts'

export const SYNC_STATES = [
  'idle',
  'syncing',
  'offline',
  'error',
  'update-needed',
  'revoked',
  'logged-out',
  'device-conflict',
] as const
export type SyncState = (typeof SYNC_STATES)[number]

export interface SyncStatus {
  state: SyncState
  /** Changes waiting in the outbox. */
  pending: number
  lastSuccessAt: string | null
  /** retryAfterSeconds: from a 429, so the person is told when to try again. */
  lastError: { code: string; message: string; retryAfterSeconds?: number | null } | null
  conflicts: SyncConflict[]
  /** Device clock minus server clock, when the server warned about it (S17). */
  clockSkewMs: number | null
  revokedReason: string | null
  /** When the next automatic retry after a failure is due. */
  nextRetryAt: string | null
}

export type StatusListener = (status: SyncStatus) => void

export const INITIAL_STATUS: SyncStatus = {
  state: 'logged-out',
  pending: 0,
  lastSuccessAt: null,
  lastError: null,
  conflicts: [],
  clockSkewMs: null,
  revokedReason: null,
  nextRetryAt: null,
}

export interface StatusStore {
  get: () => SyncStatus
  set: (patch: Partial<SyncStatus>) => void
  subscribe: (listener: StatusListener) => () => void
}

export function createStatusStore(initial: SyncStatus = INITIAL_STATUS): StatusStore {
  let status = initial
  const listeners = new Set<StatusListener>()
  return {
    get: () => status,
    set: (patch) => {
      status = { ...status, ...patch }
      for (const listener of listeners) listener(status)
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}
