// Ending a person's access: the account is switched off and every device session ends at once, with a wipe.
import type { Kysely } from 'kysely'
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
      .set({ active: 0 })
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
