// Wipes every IndexedDB table of the device (records, outbox, meta) and leaves one meta entry saying why.
import type { LinjaDb } from './db.ts'
import { writeTransaction } from './write.ts'

export const WIPE_NOTICE_KEY = 'wiped'

export interface WipeNotice {
  /** The server's code, e.g. `device_revoked` or `account_deactivated`. */
  reason: string
  at: string
}

/**
 * Deletes all local data, including changes not yet sent: used only when the server orders it
 * (a revoked device, a deactivated account). The device id goes too, so a later login starts as
 * a new device.
 */
export async function wipeDevice(db: LinjaDb, reason: string): Promise<WipeNotice> {
  const notice: WipeNotice = { reason, at: db.nowISO() }
  await writeTransaction(
    db,
    [db.clients, db.episodes, db.administrations, db.outbox, db.meta],
    async () => {
      await Promise.all([
        db.clients.clear(),
        db.episodes.clear(),
        db.administrations.clear(),
        db.outbox.clear(),
        db.meta.clear(),
      ])
      await db.meta.put({ key: WIPE_NOTICE_KEY, value: notice })
    },
  )
  return notice
}

/** Why this device was wiped, or undefined if it never was. */
export async function getWipeNotice(db: LinjaDb): Promise<WipeNotice | undefined> {
  const entry = await db.meta.get(WIPE_NOTICE_KEY)
  const value = entry?.value as Partial<WipeNotice> | undefined
  if (typeof value?.reason !== 'string' || typeof value.at !== 'string') return undefined
  return { reason: value.reason, at: value.at }
}
