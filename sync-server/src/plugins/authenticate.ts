// Checks the bearer access token on API requests and loads the device session and person, refusing revoked or deactivated ones.
import type { FastifyRequest } from 'fastify'
import type { Role } from '../../../src/core/sync-protocol.ts'
import { endIfOver } from '../accounts/leavers.ts'
import { rolesFrom } from '../accounts/people.ts'
import { REUSE_REFUSAL } from '../auth/device-sessions.ts'
import { acceptedSecrets } from '../auth/token-secret.ts'
import { verifyAccessToken } from '../auth/tokens.ts'
import type { AppContext } from '../context.ts'
import { compiledOnce } from '../db/compiled-once.ts'
import { Refusal } from '../refusal.ts'

export interface Caller {
  personId: string
  sessionId: string
  deviceId: string | null
  roles: Role[]
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller
  }
}

/** What a person whose password an administrator set may do before choosing their own. */
const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set([
  '/api/auth/password',
  '/api/auth/logout',
])

/**
 * The session, its person and the person's roles in one statement: a row per role (at least one
 * row when the session exists), instead of a second query on every request. Compiled once: it runs
 * on every request.
 */
const sessionRows = compiledOnce(1, (db, sessionId: string) =>
  db
    .selectFrom('device_sessions')
    .innerJoin('people', 'people.id', 'device_sessions.person_id')
    .leftJoin('person_roles', 'person_roles.person_id', 'device_sessions.person_id')
    .select([
      'device_sessions.id',
      'device_sessions.person_id',
      'device_sessions.device_id',
      'device_sessions.revoked_at',
      'device_sessions.revoked_reason',
      'device_sessions.wipe',
      'device_sessions.last_contact_at',
      'people.active',
      'people.must_change_password',
      'people.access_ends_at',
      'person_roles.role',
    ])
    .where('device_sessions.id', '=', sessionId),
)

/** A preHandler that sets request.caller or refuses (401, 403) with a code the app can act on. */
export function authenticate(ctx: AppContext, allowed?: readonly Role[]) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? ''
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
    if (!token) throw new Refusal(401, 'unauthorised', 'Log in first.')
    const check = verifyAccessToken(token, acceptedSecrets(ctx.tokenSecrets))
    if (!check.ok) {
      // A token signed with a retired secret (a rotation, an upgrade) sends the device to its
      // refresh token, which the database checks; a forger has none, so learns nothing more.
      if (check.reason === 'unknown_key') {
        throw new Refusal(401, 'token_expired', 'The access token is no longer valid: refresh it.')
      }
      throw check.reason === 'expired'
        ? new Refusal(401, 'token_expired', 'The access token expired: refresh it.')
        : new Refusal(401, 'unauthorised', 'The access token is not valid.')
    }
    const rows = await sessionRows(ctx.db, check.claims.sid)
    const session = rows[0]
    if (!session || session.person_id !== check.claims.pid) {
      throw new Refusal(401, 'unauthorised', 'The access token is not valid.')
    }
    // A leaver whose last day is over is signed out here even before the periodic sweep.
    const ended = await endIfOver(
      ctx.db,
      { id: session.person_id, active: session.active, access_ends_at: session.access_ends_at },
      ctx.now(),
    )
    if (session.active !== 1 || ended) {
      throw new Refusal(401, 'account_deactivated', 'This account is deactivated.', { wipe: true })
    }
    if (session.revoked_reason === 'reuse') {
      throw new Refusal(401, REUSE_REFUSAL.error, REUSE_REFUSAL.message)
    }
    if (session.revoked_at !== null) {
      throw new Refusal(401, 'device_revoked', 'This device was signed out by an administrator.', {
        wipe: session.wipe === 1,
      })
    }
    if (
      session.must_change_password === 1 &&
      !PASSWORD_CHANGE_ROUTES.has(request.routeOptions.url ?? '')
    ) {
      throw new Refusal(
        403,
        'password_change_required',
        'Choose a new password first: an administrator set this one.',
      )
    }
    const roles = rolesFrom(rows.map((r) => r.role))
    if (allowed && !roles.some((r) => allowed.includes(r))) {
      throw new Refusal(403, 'forbidden', `This needs the role ${allowed.join(' or ')}.`)
    }
    request.caller = {
      personId: session.person_id,
      sessionId: session.id,
      deviceId: session.device_id,
      roles,
    }
    // Last contact is for the admin's device list: a minute's precision saves a write per request.
    const now = ctx.now()
    if (now - Date.parse(session.last_contact_at) > 60_000) {
      await ctx.db
        .updateTable('device_sessions')
        .set({ last_contact_at: new Date(now).toISOString() })
        .where('id', '=', session.id)
        .execute()
    }
    return undefined
  }
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('authenticate() did not run for this route')
  return request.caller
}
