// Wipes every IndexedDB table of the device (records, outbox, meta) and leaves one meta entry saying why.
import type { LinjaDb } from './db.ts'
import { bumpGeneration, writeTransaction } from './write.ts'

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

/**
 * "Forget this device" for one practitioner on a shared tablet: deletes every row sealed with
 * their key (records, outbox entries, sealed settings), unsent changes included. Other
 * practitioners' rows stay. Returns how many rows went.
 */
export async function forgetKey(db: LinjaDb, kid: string): Promise<number> {
  const mine = (row: { kid?: string }) => row.kid === kid
  return writeTransaction(
    db,
    [db.clients, db.episodes, db.administrations, db.outbox, db.meta],
    async () => {
      const counts = await Promise.all([
        db.clients.filter(mine).delete(),
        db.episodes.filter(mine).delete(),
        db.administrations.filter(mine).delete(),
        db.outbox.filter(mine).delete(),
        db.meta
          .filter((m) => {
            const v = m.value as { kid?: unknown } | null
            return v !== null && typeof v === 'object' && v.kid === kid
          })
          .delete(),
      ])
      await bumpGeneration(db)
      return counts.reduce((a, b) => a + b, 0)
    },
  )
}
