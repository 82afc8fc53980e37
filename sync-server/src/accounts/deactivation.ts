// Ending a person's access: the account is switched off and every device session ends at once, with a wipe.
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * The one way access ends (an administrator, the directory's provisioning, a leaver's last day):
 * the devices hear `account_deactivated` with `wipe` at their next contact and delete this
 * person's data. Returns false when there is no such person.
 */
export async function deactivatePerson(
  db: Kysely<Database>,
  personId: string,
  at: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('people')
      .set({ active: 0, deactivated_at: at })
      .where('id', '=', personId)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) return false
    await trx
      .updateTable('device_sessions')
      .set({ revoked_at: at, wipe: 1 })
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .execute()
    return true
  })
}

/**
 * Gives a person access again (an administrator, the directory's provisioning). A last day that
 * is already over is forgotten with it, or the leaver sweep would end the access again at once;
 * a last day still ahead stays. Returns false when there is no such person.
 */
export async function reactivatePerson(
  db: Kysely<Database>,
  personId: string,
  at: string,
): Promise<boolean> {
  const r = await db
    .updateTable('people')
    .set((eb) => ({
      active: 1,
      deactivated_at: null,
      access_ends_at: eb
        .case()
        .when('access_ends_at', '<=', at)
        .then(sql<string | null>`null`)
        .else(eb.ref('access_ends_at'))
        .end(),
    }))
    .where('id', '=', personId)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}
