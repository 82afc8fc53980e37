// A person's two-factor enrolment in `people` (sealed TOTP secret, last step used) and `recovery_codes` (hashes, single use).
import type { Kysely } from 'kysely'
import {
  type CodeCheck,
  checkCode,
  hashRecoveryCode,
  newRecoveryCodes,
  openTokenSealedSecret,
  openTotpSecret,
  sealTotpSecret,
  totpContext,
} from '../auth/totp.ts'
import type { AppContext } from '../context.ts'
import type { Database } from '../db/schema.ts'
import { rolesOf } from './people.ts'
import { readSettings } from './settings.ts'

/**
 * What the person must show after the password: 'code' when enrolled, 'enrol' when two factors are
 * required of them (every admin; everyone when the organisation turns it on) and they have none yet.
 */
export async function secondFactorNeeded(
  ctx: AppContext,
  personId: string,
): Promise<'code' | 'enrol' | null> {
  const person = await ctx.db
    .selectFrom('people')
    .selectAll()
    .where('id', '=', personId)
    .executeTakeFirstOrThrow()
  // Directory people sign in at their provider, which has its own two factors (docs/identity.md).
  if (person.source === 'directory') return null
  if (person.totp_secret !== null) return 'code'
  return (await twoFactorRequired(ctx.db, personId)) ? 'enrol' : null
}

export async function twoFactorRequired(db: Kysely<Database>, personId: string): Promise<boolean> {
  if ((await rolesOf(db, personId)).includes('admin')) return true
  return (await readSettings(db)).twoFactorForAll
}

/**
 * Checks a code against the person's secret and, when right, records its step in the same
 * statement that checks it was not used, so two requests with one code cannot both pass.
 * 'unreadable': the secret cannot be opened (one that the migration 0020 could not open: it was
 * sealed with a token secret dropped before the upgrade).
 */
export async function checkPersonCode(
  ctx: AppContext,
  personId: string,
  code: string,
): Promise<CodeCheck | { ok: false; reason: 'unreadable' }> {
  const person = await ctx.db
    .selectFrom('people')
    .select(['totp_secret', 'totp_last_step'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow()
  if (person.totp_secret === null) return { ok: false, reason: 'unreadable' }
  let secret = openTotpSecret(ctx.secretsKey, person.totp_secret, totpContext(personId))
  // Written by an instance not yet upgraded while another ran the migration 0020 (a rolling
  // upgrade): opened as that migration does, and sealed with the secrets key below.
  const legacy = secret === null
  if (legacy) secret = openTokenSealedSecret(person.totp_secret, ctx.tokenSecrets)
  if (secret === null) return { ok: false, reason: 'unreadable' }
  const check = checkCode(secret, code, person.totp_last_step, ctx.now())
  if (!check.ok) return check
  const claimed = await ctx.db
    .updateTable('people')
    .set({
      totp_last_step: check.step,
      ...(legacy
        ? { totp_secret: sealTotpSecret(ctx.secretsKey, secret, totpContext(personId)) }
        : {}),
    })
    .where('id', '=', personId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', check.step)]))
    .executeTakeFirst()
  return Number(claimed.numUpdatedRows) === 1 ? check : { ok: false, reason: 'replayed' }
}

/** Uses one recovery code: true once, false for a wrong or already used one. */
export async function spendRecoveryCode(
  db: Kysely<Database>,
  personId: string,
  code: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('person_id', '=', personId)
    .where('code_hash', '=', hashRecoveryCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Stores a confirmed enrolment (`step`: the step of the confirming code) and answers new recovery codes, shown once. */
export async function completeEnrolment(
  ctx: AppContext,
  personId: string,
  secret: string,
  step: number,
): Promise<string[]> {
  const codes = newRecoveryCodes()
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('people')
      .set({
        totp_secret: sealTotpSecret(ctx.secretsKey, secret, totpContext(personId)),
        totp_enrolled_at: new Date(ctx.now()).toISOString(),
        totp_last_step: step,
      })
      .where('id', '=', personId)
      .execute()
    await trx.deleteFrom('recovery_codes').where('person_id', '=', personId).execute()
    await trx
      .insertInto('recovery_codes')
      .values(
        codes.map((c) => ({ person_id: personId, code_hash: hashRecoveryCode(c), used_at: null })),
      )
      .execute()
  })
  return codes
}

/**
 * Forgets the enrolment (lost phone, admin reset): the person enrols again at the next sign-in.
 * Sign-ins waiting for a code end too, except `keepPending` (the one that used a recovery code).
 */
export async function clearTwoFactor(
  db: Kysely<Database>,
  personId: string,
  keepPending?: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('people')
      .set({ totp_secret: null, totp_enrolled_at: null })
      .where('id', '=', personId)
      .where('totp_secret', 'is not', null)
      .executeTakeFirst()
    await trx.deleteFrom('recovery_codes').where('person_id', '=', personId).execute()
    let pending = trx.deleteFrom('pending_sign_ins').where('person_id', '=', personId)
    if (keepPending !== undefined) pending = pending.where('token_hash', '!=', keepPending)
    await pending.execute()
    return Number(r.numUpdatedRows) === 1
  })
}
