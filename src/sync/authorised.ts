// Calls the server with a fresh access token from the stored session: refresh when expired, and once more after `token_expired`.
import { SYNC_ERRORS } from '../core/sync-protocol.ts'
import type { LinjaDb } from '../storage/index.ts'
import { isSyncHttpError, SyncHttpError } from './errors.ts'
import {
  accessExpired,
  type DeviceSession,
  loadSession,
  saveSession,
  sessionFrom,
} from './session.ts'
import type { SyncTransport } from './transport.ts'

const REFRESH_LOCK = 'linja-refresh'
let queue: Promise<unknown> = Promise.resolve()

/** Refreshes one after another: across tabs with Web Locks, within this page with a queue. */
function oneRefreshAtATime<T>(run: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  const exclusive = () => (locks ? locks.request(REFRESH_LOCK, run) : run())
  const next = queue.then(exclusive, exclusive)
  queue = next.catch(() => undefined)
  return next
}

export type AuthorisedCall = <T>(request: (accessToken: string) => Promise<T>) => Promise<T>

export function authorisedCaller(
  db: LinjaDb,
  transport: SyncTransport,
  now: () => Date,
): AuthorisedCall {
  function refreshed(stale: DeviceSession): Promise<DeviceSession> {
    return oneRefreshAtATime(async () => {
      // Another tab or screen refreshed while this one waited: the token it stored is the current
      // one, and presenting the rotated one again would look like theft to the server.
      const latest = await loadSession(db)
      if (latest && latest.refreshToken !== stale.refreshToken) return latest
      // S3: the refresh token rotates; the new one is stored before anything else is sent.
      const next = sessionFrom(await transport.refresh(stale.refreshToken))
      await saveSession(db, next)
      return next
    })
  }
  return async (request) => {
    let session = await loadSession(db)
    if (!session) throw new SyncHttpError(401, SYNC_ERRORS.unauthorised, {}, 'Not logged in.')
    if (accessExpired(session, now().getTime())) session = await refreshed(session)
    try {
      return await request(session.accessToken)
    } catch (error) {
      if (!isSyncHttpError(error) || error.code !== SYNC_ERRORS.tokenExpired) throw error
      session = await refreshed(session)
      return request(session.accessToken)
    }
  }
}
