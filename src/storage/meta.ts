// Small device settings kept in the IndexedDB `meta` table: device id, calibration, PIN hash record, client-mode pointer.
import { v7 as uuidv7 } from 'uuid'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { decodeMetaValue, encodeMetaValue } from './sealing.ts'
import { writeTransaction } from './write.ts'

/** Keys in use; other small values may use their own key. */
export const META_KEYS = {
  deviceId: 'deviceId',
  calibration: 'calibration',
  /** Salted PIN hash record (src/state/device-pin.ts). */
  devicePin: 'devicePin',
  /** Pointer to the form open in client mode (src/state/client-mode-store.ts). */
  clientMode: 'clientMode',
} as const

/**
 * The stored value, or undefined. The type argument is the caller's claim about the shape:
 * IndexedDB keeps whatever was written, so validate values that came from an older app version.
 */
export async function getMeta<T>(db: LinjaDb, key: string): Promise<T | undefined> {
  const entry = await db.meta.get(key)
  return entry?.value as T | undefined
}

export async function setMeta(db: LinjaDb, key: string, value: unknown): Promise<void> {
  if (key === META_KEYS.deviceId) {
    throw new StorageError('invalid-argument', 'The device id is made once and never replaced.')
  }
  await writeTransaction(db, [db.meta], async () => {
    await db.meta.put({ key, value })
  })
}

export async function deleteMeta(db: LinjaDb, key: string): Promise<void> {
  if (key === META_KEYS.deviceId) {
    throw new StorageError('invalid-argument', 'The device id is made once and never removed.')
  }
  await writeTransaction(db, [db.meta], async () => {
    await db.meta.delete(key)
  })
}

/**
 * This device's id (UUID v7), made on first use. Safe to call inside a transaction that has
 * `meta` in read-write scope: it then joins that transaction.
 */
export async function getDeviceId(db: LinjaDb): Promise<string> {
  return writeTransaction(db, [db.meta], async () => {
    const existing = await db.meta.get(META_KEYS.deviceId)
    if (typeof existing?.value === 'string') return existing.value
    const id = uuidv7()
    await db.meta.put({ key: META_KEYS.deviceId, value: id })
    return id
  })
}

/**
 * A meta value that holds clinical data (conflicts, offline copies of screens): sealed with the
 * unlocked keys like a record. Another practitioner's value reads as undefined.
 */
export async function getSealedMeta<T>(db: LinjaDb, key: string): Promise<T | undefined> {
  return (await decodeMetaValue(db, key, (await db.meta.get(key))?.value)) as T | undefined
}

export async function setSealedMeta(db: LinjaDb, key: string, value: unknown): Promise<void> {
  const sealed = await encodeMetaValue(db, key, value)
  await writeTransaction(db, [db.meta], async () => {
    await db.meta.put({ key, value: sealed })
  })
}
