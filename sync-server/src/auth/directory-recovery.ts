// A directory person's recovery secret (wraps their tablets' key for a forgotten PIN), kept in `directory_recovery` sealed with the secrets key.
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { open, type SecretsKey, seal } from './secrets-key.ts'

/** Bound into each sealed value, so a row copied to another person does not open. */
export const recoveryContext = (personId: string) => `directory_recovery:${personId}`

/** The person's recovery secret, made at their first directory sign-in. */
export async function recoverySecretOf(
  db: Kysely<Database>,
  key: SecretsKey,
  personId: string,
): Promise<string> {
  const made = randomBytes(32).toString('base64url')
  await db
    .insertInto('directory_recovery')
    .values({ person_id: personId, sealed_secret: seal(key, made, recoveryContext(personId)) })
    .onConflict((oc) => oc.column('person_id').doNothing())
    .execute()
  // Another sign-in may have made it a moment before: the stored one is the person's.
  const row = await db
    .selectFrom('directory_recovery')
    .select('sealed_secret')
    .where('person_id', '=', personId)
    .executeTakeFirstOrThrow()
  return open(key, row.sealed_secret, recoveryContext(personId))
}
