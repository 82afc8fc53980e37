// The last copy of a server screen (administration, reports, supervision) kept in the device
// database, so that without a connection the screen shows it with the time it was fetched.
// One copy per screen and person: another person signed in on the same tablet never sees it,
// and a wipe (revoked device) deletes it with everything else. Sealed with the person's key
// (supervision copies name clients).
import { deleteMeta, getSealedMeta, setSealedMeta } from '../storage/index.ts'
import { isSyncHttpError, NETWORK_ERROR } from '../sync/index.ts'
import { database } from './database.ts'
import { useSyncStore } from './sync-store.ts'

export type CopiedScreen = 'admin' | 'reports' | 'supervision'

export interface Fetched<T> {
  value: T
  /** When the server gave this value (ISO time). */
  fetchedAt: string
  /** true: the server could not be reached and this is the last stored copy. */
  fromCopy: boolean
}

interface StoredCopy {
  value: unknown
  fetchedAt: string
}

const keyOf = (screen: CopiedScreen): string | null => {
  const personId = useSyncStore.getState().person?.id
  return personId ? `copy:${screen}:${personId}` : null
}

function isStoredCopy(value: unknown): value is StoredCopy {
  return (
    value !== null &&
    typeof value === 'object' &&
    'value' in value &&
    typeof (value as { fetchedAt?: unknown }).fetchedAt === 'string'
  )
}

/**
 * Loads from the server and keeps the answer as the screen's copy. When no answer comes (no
 * network), returns the last copy instead, marked `fromCopy`; with no copy, or any other error
 * (signed out, not allowed, bad request), the error is thrown as it came.
 * `accept` checks a stored copy's shape, so a copy from an older version is never shown wrongly.
 */
export async function fetchKeepingCopy<T>(
  screen: CopiedScreen,
  load: () => Promise<T>,
  accept: (value: unknown) => value is T,
): Promise<Fetched<T>> {
  const key = keyOf(screen)
  try {
    const value = await load()
    const fetchedAt = new Date().toISOString()
    // Keeping the copy is a convenience: a full disk must not fail the screen.
    if (key) await setSealedMeta(database(), key, { value, fetchedAt }).catch(() => undefined)
    return { value, fetchedAt, fromCopy: false }
  } catch (error) {
    if (key && isSyncHttpError(error) && error.code === NETWORK_ERROR) {
      const copy = await getSealedMeta<unknown>(database(), key).catch(() => undefined)
      if (isStoredCopy(copy) && accept(copy.value)) {
        return { value: copy.value, fetchedAt: copy.fetchedAt, fromCopy: true }
      }
    }
    // Access taken away: the copy must not outlive it.
    if (key && isSyncHttpError(error) && (error.status === 401 || error.status === 403)) {
      await deleteMeta(database(), key).catch(() => undefined)
    }
    throw error
  }
}
