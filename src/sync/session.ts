// The device session in the IndexedDB meta table: who is logged in, the tokens, the server epoch and the pull cursor.
import type { LinjaDb } from '../storage/index.ts'
import { deleteMeta, getMeta, setMeta } from '../storage/index.ts'
import type { AuthAnswer, SessionPerson } from './transport.ts'

export const SESSION_KEYS = {
  session: 'sync.session',
  cursor: 'sync.cursor',
} as const

export interface DeviceSession {
  person: SessionPerson
  deviceSessionId: string
  accessToken: string
  accessTokenExpiresAt: string
  refreshToken: string
  serverEpoch: string
}

export function sessionFrom(answer: AuthAnswer): DeviceSession {
  return {
    person: answer.person,
    deviceSessionId: answer.deviceSessionId,
    accessToken: answer.accessToken,
    accessTokenExpiresAt: answer.accessTokenExpiresAt,
    refreshToken: answer.refreshToken,
    serverEpoch: answer.serverEpoch,
  }
}

function isSession(value: unknown): value is DeviceSession {
  if (value === null || typeof value !== 'object') return false
  const v = value as Partial<DeviceSession>
  return (
    typeof v.accessToken === 'string' &&
    typeof v.refreshToken === 'string' &&
    typeof v.deviceSessionId === 'string' &&
    typeof v.person?.id === 'string'
  )
}

export async function loadSession(db: LinjaDb): Promise<DeviceSession | undefined> {
  const value = await getMeta<unknown>(db, SESSION_KEYS.session)
  return isSession(value) ? value : undefined
}

export async function saveSession(db: LinjaDb, session: DeviceSession): Promise<void> {
  await setMeta(db, SESSION_KEYS.session, session)
}

/** Ends the session on this device; records and outbox stay. */
export async function clearSession(db: LinjaDb): Promise<void> {
  await deleteMeta(db, SESSION_KEYS.session)
}

/** True when the access token is expired or expires within `marginMs`. */
export function accessExpired(session: DeviceSession, nowMs: number, marginMs = 30_000): boolean {
  const expires = Date.parse(session.accessTokenExpiresAt)
  return !Number.isFinite(expires) || expires - marginMs <= nowMs
}

export async function loadCursor(db: LinjaDb): Promise<string | null> {
  const value = await getMeta<unknown>(db, SESSION_KEYS.cursor)
  return typeof value === 'string' ? value : null
}

export async function saveCursor(db: LinjaDb, cursor: string | null): Promise<void> {
  if (cursor === null) await deleteMeta(db, SESSION_KEYS.cursor)
  else await setMeta(db, SESSION_KEYS.cursor, cursor)
}
