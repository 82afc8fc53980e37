// Refreshing a device session: limits, reuse of a rotated refresh token, and a rotation exactly one caller wins.
import type { Kysely } from 'kysely'
import { audit } from '../accounts/audit.ts'
import { endIfOver } from '../accounts/leavers.ts'
import { readSettings } from '../accounts/settings.ts'
import type { Database } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import { hashRefreshToken, newRefreshToken } from './tokens.ts'

const DAY_MS = 24 * 60 * 60 * 1000
/**
 * A rotated token presented again this soon is taken for a race of one device's own requests (it
 * gets no token, and the session stays); later, it is reuse. Auth0 and Okta allow such leeway too.
 */
export const REUSE_LEEWAY_MS = 10_000

export interface Refreshed {
  sessionId: string
  personId: string
  refreshToken: string
}

function refused(error: string, message: string, wipe?: boolean): Refusal {
  return new Refusal(401, error, message, wipe === undefined ? {} : { wipe })
}

/** What a device hears when its device session was ended because a refresh token came back. */
export const REUSE_REFUSAL = {
  error: 'session_revoked_reuse',
  message:
    'A refresh token of this device session was used twice, so the session was ended for safety: sign in again.',
} as const

/** Ends a device session for reuse (records on the device stay; wipe is not asked for). */
async function endForReuse(db: Kysely<Database>, sessionId: string, at: string): Promise<void> {
  await db
    .updateTable('device_sessions')
    .set({ revoked_at: at, revoked_reason: 'reuse' })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute()
}

/** The device session a refresh token belongs to, rotated to a new token if every check passes. */
export async function refreshDeviceSession(
  db: Kysely<Database>,
  token: string,
  nowMs: number,
  ip: string,
): Promise<Refreshed> {
  const hash = hashRefreshToken(token)
  const now = new Date(nowMs).toISOString()
  const session = await db
    .selectFrom('device_sessions')
    .innerJoin('people', 'people.id', 'device_sessions.person_id')
    .select([
      'device_sessions.id',
      'device_sessions.person_id',
      'device_sessions.revoked_at',
      'device_sessions.revoked_reason',
      'device_sessions.wipe',
      'device_sessions.created_at',
      'device_sessions.last_contact_at',
      'people.active',
      'people.access_ends_at',
    ])
    .where('refresh_hash', '=', hash)
    .executeTakeFirst()
  if (!session) return reused(db, hash, nowMs, ip)
  const ended = await endIfOver(
    db,
    { id: session.person_id, active: session.active, access_ends_at: session.access_ends_at },
    nowMs,
  )
  if (session.active !== 1 || ended)
    throw refused('account_deactivated', 'This account is deactivated.', true)
  if (session.revoked_reason === 'reuse') {
    throw refused(REUSE_REFUSAL.error, REUSE_REFUSAL.message)
  }
  if (session.revoked_at !== null) {
    throw refused(
      'device_revoked',
      'This device was signed out by an administrator.',
      session.wipe === 1,
    )
  }
  const settings = await readSettings(db)
  const idleMs = nowMs - Date.parse(session.last_contact_at)
  const ageMs = nowMs - Date.parse(session.created_at)
  if (idleMs > settings.sessionIdleDays * DAY_MS || ageMs > settings.sessionMaxDays * DAY_MS) {
    throw refused(
      'session_expired',
      'This device session has reached its time limit: sign in again (nothing on the device is lost).',
    )
  }
  const refreshToken = newRefreshToken()
  const won = await db.transaction().execute(async (trx) => {
    // Compare-and-swap: of two refreshes with one token, only the one that still finds it rotates.
    const updated = await trx
      .updateTable('device_sessions')
      .set({ refresh_hash: hashRefreshToken(refreshToken), last_contact_at: now })
      .where('id', '=', session.id)
      .where('refresh_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return false
    await trx
      .insertInto('retired_refresh_tokens')
      .values({ hash, session_id: session.id, retired_at: now })
      .execute()
    return true
  })
  if (!won) {
    // Another request with the same token rotated it a moment ago; that one has the new token.
    throw refused('unauthorised', 'This refresh token was just used: use the newest one.')
  }
  // Reuse is recognised as long as a session may stay idle; older hashes can go.
  await db
    .deleteFrom('retired_refresh_tokens')
    .where('retired_at', '<', new Date(nowMs - settings.sessionIdleDays * DAY_MS).toISOString())
    .execute()
  return { sessionId: session.id, personId: session.person_id, refreshToken }
}

/**
 * A token that is no session's current one: if it was rotated away, someone holds a copy (the
 * device or a thief, whichever came second), so the whole device session ends (OAuth 2.0 BCP).
 */
async function reused(
  db: Kysely<Database>,
  hash: string,
  nowMs: number,
  ip: string,
): Promise<never> {
  const now = new Date(nowMs).toISOString()
  const retired = await db
    .selectFrom('retired_refresh_tokens')
    .innerJoin('device_sessions', 'device_sessions.id', 'retired_refresh_tokens.session_id')
    .select([
      'device_sessions.id',
      'device_sessions.person_id',
      'device_sessions.revoked_at',
      'retired_refresh_tokens.retired_at',
    ])
    .where('hash', '=', hash)
    .executeTakeFirst()
  if (!retired) throw refused('unauthorised', 'Unknown refresh token: log in again.')
  if (nowMs - Date.parse(retired.retired_at) < REUSE_LEEWAY_MS) {
    throw refused('unauthorised', 'This refresh token was just used: use the newest one.')
  }
  if (retired.revoked_at === null) {
    await endForReuse(db, retired.id, now)
    await audit(db, {
      actorId: null,
      action: 'refresh_reused',
      target: retired.person_id,
      ip,
      details: { deviceSession: retired.id },
    })
  }
  throw refused(REUSE_REFUSAL.error, REUSE_REFUSAL.message)
}

/** Ends every other device session of a person (after they changed their own password). */
export async function endOtherSessions(
  db: Kysely<Database>,
  personId: string,
  keepSessionId: string,
  now: string,
): Promise<number> {
  const result = await db
    .updateTable('device_sessions')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('id', '!=', keepSessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
