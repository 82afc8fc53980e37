// The practitioner's device PIN: it wraps their data key in the keyring (meta 'keyring', see keyring.ts); there is no separate PIN hash.

import { loadSession } from '../sync/index.ts'
import { database } from './database.ts'
import { changePin, createKeys, keyringEntry } from './keyring.ts'
import { choosePinAfterLogin, LOCAL_OWNER, refreshLock, useLockStore } from './lock-store.ts'

export function isValidPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin)
}

async function owner(): Promise<string> {
  return (await loadSession(database()))?.person.id ?? LOCAL_OWNER
}

export async function hasPin(): Promise<boolean> {
  if (useLockStore.getState().status === 'needs-pin') return false
  return Boolean((await keyringEntry(database(), await owner()))?.pin)
}

/**
 * Sets the PIN. After an online login it wraps the key that login opened; on a device without a
 * key it makes one (and seals what the device holds); otherwise it needs the current PIN.
 */
export async function setPin(pin: string, currentPin?: string): Promise<boolean> {
  if (!isValidPin(pin)) throw new Error('PIN must be 4–8 digits')
  if (useLockStore.getState().status === 'needs-pin') return choosePinAfterLogin(pin)
  const db = database()
  const who = await owner()
  const entry = await keyringEntry(db, who)
  if (!entry) {
    await createKeys(db, who, pin, null)
    await refreshLock()
    return true
  }
  if (currentPin === undefined) return false
  const result = await changePin(db, who, currentPin, pin)
  if (!result.ok) await refreshLock()
  return result.ok
}
