// The device session a sign-in makes (password or identity provider alike), and the answer the tablet stores.
import { randomUUID } from 'node:crypto'
import { audit } from '../accounts/audit.ts'
import { deviceAtSignIn } from '../accounts/devices.ts'
import { rolesOf } from '../accounts/people.ts'
import type { AppContext } from '../context.ts'
import { hashRefreshToken, issueAccessToken, newRefreshToken } from './tokens.ts'

export interface SigningTablet {
  deviceName: string
  deviceId?: string | undefined
  appVersion?: string | undefined
}

export async function personReply(ctx: AppContext, id: string) {
  const p = await ctx.db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return {
    id: p.id,
    username: p.username,
    displayName: p.display_name,
    roles: await rolesOf(ctx.db, id),
    mustChangePassword: p.must_change_password === 1,
  }
}

export function accessTokenFor(ctx: AppContext, sessionId: string, personId: string) {
  const access = issueAccessToken({ sid: sessionId, pid: personId }, ctx.tokenSecrets.current)
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt }
}

/** A new device session for a person the sign-in has proved (audited as `login`). */
export async function openDeviceSession(
  ctx: AppContext,
  personId: string,
  tablet: SigningTablet,
  ip: string,
  /** How the person was proved: a password alone, the provider, or a password and a second factor. */
  method: 'password' | 'oidc' | 'totp' | 'recovery',
) {
  const { db } = ctx
  const refreshToken = newRefreshToken()
  const sessionId = randomUUID()
  const now = new Date(ctx.now()).toISOString()
  const { deviceId, appVersion } = tablet
  const deviceName = deviceId
    ? await deviceAtSignIn(db, {
        id: deviceId,
        name: tablet.deviceName.trim() || tablet.deviceName,
        appVersion: appVersion ?? null,
        now,
      })
    : tablet.deviceName
  await db
    .insertInto('device_sessions')
    .values({
      id: sessionId,
      person_id: personId,
      device_name: deviceName,
      // Bound now, so the first push must come from this tablet (an older app binds it then).
      device_id: deviceId ?? null,
      refresh_hash: hashRefreshToken(refreshToken),
      created_at: now,
      last_contact_at: now,
      app_version: appVersion ?? null,
      revoked_at: null,
      wipe: 0,
    })
    .execute()
  await audit(db, {
    actorId: personId,
    action: 'login',
    target: sessionId,
    ip,
    ...(method !== 'password' ? { details: { method } } : {}),
  })
  return {
    ...accessTokenFor(ctx, sessionId, personId),
    refreshToken,
    deviceSessionId: sessionId,
    person: await personReply(ctx, personId),
    serverEpoch: ctx.epoch,
  }
}
