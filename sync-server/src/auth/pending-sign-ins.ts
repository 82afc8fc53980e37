// Sign-ins waiting for their second factor, in `pending_sign_ins`: a short-lived token (stored hashed) for one person and one device.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import { hashRefreshToken, newRefreshToken } from './tokens.ts'

/** Long enough to open an authenticator app (or enrol one), short enough to be useless later. */
export const PENDING_SIGN_IN_MS = 10 * 60 * 1000

export type PendingStage = 'code' | 'enrol'

export interface SigningDevice {
  deviceName: string
  deviceId: string | null
  appVersion: string | null
}

export interface PendingSignIn extends SigningDevice {
  tokenHash: string
  personId: string
  stage: PendingStage
  enrolSecret: string | null
}

export async function startPendingSignIn(
  db: Kysely<Database>,
  input: SigningDevice & { personId: string; stage: PendingStage },
  nowMs: number,
): Promise<{ pendingToken: string; expiresAt: string }> {
  const token = newRefreshToken()
  const expiresAt = new Date(nowMs + PENDING_SIGN_IN_MS).toISOString()
  // Whatever expired is of no use to anyone: cleared on the way.
  await db
    .deleteFrom('pending_sign_ins')
    .where('expires_at', '<=', new Date(nowMs).toISOString())
    .execute()
  await db
    .insertInto('pending_sign_ins')
    .values({
      token_hash: hashRefreshToken(token),
      person_id: input.personId,
      stage: input.stage,
      device_name: input.deviceName,
      device_id: input.deviceId,
      app_version: input.appVersion,
      enrol_secret: null,
      expires_at: expiresAt,
    })
    .execute()
  return { pendingToken: token, expiresAt }
}

/** The pending sign-in of `token` at `stage`; an unknown, used or expired one is refused alike. */
export async function pendingSignIn(
  db: Kysely<Database>,
  token: string,
  stage: PendingStage,
  nowMs: number,
): Promise<PendingSignIn> {
  const row = await db
    .selectFrom('pending_sign_ins')
    .selectAll()
    .where('token_hash', '=', hashRefreshToken(token))
    .executeTakeFirst()
  if (!row || row.expires_at <= new Date(nowMs).toISOString()) {
    throw new Refusal(
      401,
      'sign_in_expired',
      'This sign-in has expired or was already used: sign in again with your password.',
    )
  }
  if (row.stage !== stage) {
    throw new Refusal(409, 'wrong_step', `This sign-in waits for the ${row.stage} step.`)
  }
  return {
    tokenHash: row.token_hash,
    personId: row.person_id,
    stage: row.stage === 'enrol' ? 'enrol' : 'code',
    deviceName: row.device_name,
    deviceId: row.device_id,
    appVersion: row.app_version,
    enrolSecret: row.enrol_secret,
  }
}

/** Single use: gone once it has given a device session (or moved on to enrolment). */
export async function endPendingSignIn(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('pending_sign_ins').where('token_hash', '=', tokenHash).execute()
}

/** After a recovery code, when two factors are required: the same token goes on to enrolment. */
export async function moveToEnrolment(
  db: Kysely<Database>,
  tokenHash: string,
  nowMs: number,
): Promise<string> {
  const expiresAt = new Date(nowMs + PENDING_SIGN_IN_MS).toISOString()
  await db
    .updateTable('pending_sign_ins')
    .set({ stage: 'enrol', enrol_secret: null, expires_at: expiresAt })
    .where('token_hash', '=', tokenHash)
    .execute()
  return expiresAt
}
