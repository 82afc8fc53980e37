// Tablets in the database (devices): one row per tablet id, however many people sign in on it; its device sessions point at it.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * At a sign-in that names the tablet's own id: the tablet's row is made the first time, and its
 * app version follows every sign-in. The name a tablet already has stays (an admin or someone on
 * the tablet may have changed it); the name sent along is only the first one. Returns the name.
 */
export async function deviceAtSignIn(
  db: Kysely<Database>,
  device: { id: string; name: string; appVersion: string | null; now: string },
): Promise<string> {
  await db
    .insertInto('devices')
    .values({
      id: device.id,
      name: device.name,
      app_version: device.appVersion,
      created_at: device.now,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ app_version: device.appVersion }))
    .execute()
  const row = await db
    .selectFrom('devices')
    .select('name')
    .where('id', '=', device.id)
    .executeTakeFirstOrThrow()
  return row.name
}

/** A new name for a tablet (and for its device sessions, which carry it for older screens). */
export async function renameDevice(
  db: Kysely<Database>,
  deviceId: string,
  name: string,
): Promise<boolean> {
  const r = await db
    .updateTable('devices')
    .set({ name })
    .where('id', '=', deviceId)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return false
  await db
    .updateTable('device_sessions')
    .set({ device_name: name })
    .where('device_id', '=', deviceId)
    .execute()
  return true
}
