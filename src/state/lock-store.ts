// Whether the practitioner's data is open on this device: PIN unlock, idle and hidden lock, lock-out; the keyring is in the device database.
import { create } from 'zustand'
import { countPending, forgetKey, sealPlainRows, wipeDevice } from '../storage/index.ts'
import { loadSession } from '../sync/index.ts'
import { database } from './database.ts'
import { createIdleLock } from './idle-lock.ts'
import {
  afterOnlineLogin,
  forgetKeys,
  keyringEntry,
  LOCAL_OWNER,
  loadKeyring,
  lockKeys,
  needsPinAfterLogin,
  setPinAfterLogin,
  unlockWithPin,
} from './keyring.ts'
import { useOrgSettingsStore } from './org-settings-store.ts'

export { LOCAL_OWNER } from './keyring.ts'

/**
 * - open: the data is readable (unlocked, or a device that has no key yet);
 * - locked: the PIN opens it;
 * - locked-out: too many wrong PINs, or no key for whoever is signed in: an online login first;
 * - needs-pin: open after an online login, and a PIN must be chosen before the next lock.
 */
export type LockStatus = 'open' | 'locked' | 'locked-out' | 'needs-pin'

interface LockState {
  status: LockStatus
  /** PIN tries left after a wrong one. */
  left: number | null
}

export const useLockStore = create<LockState>()(() => ({ status: 'open', left: null }))

const listeners = new Set<() => void>()
/** Stores that hold decrypted data reload through this after an unlock (client mode). */
export function onUnlock(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

async function currentOwner(): Promise<string> {
  return (await loadSession(database()))?.person.id ?? LOCAL_OWNER
}

/** Reads the keyring: decides whether the device needs a PIN before anything is shown. */
export async function refreshLock(): Promise<LockStatus> {
  const db = database()
  const ring = await loadKeyring(db)
  db.requireKeys = Object.keys(ring).length > 0
  const owner = await currentOwner()
  const entry = ring[owner]
  let status: LockStatus
  if (!db.requireKeys) status = 'open'
  else if (entry && db.keys?.kid === entry.kid)
    status = needsPinAfterLogin(owner) ? 'needs-pin' : 'open'
  else if (entry?.pin) status = 'locked'
  else status = 'locked-out'
  useLockStore.setState({ status, left: null })
  return status
}

export async function unlock(pin: string): Promise<boolean> {
  const result = await unlockWithPin(database(), await currentOwner(), pin)
  if (result.ok) {
    // Rows a sync wrote plain while the first key was being made are sealed now (or at the next
    // unlock, when the tablet is full: the PIN must open it all the same).
    await sealPlainRows(database()).catch(() => undefined)
    useLockStore.setState({ status: 'open', left: null })
    for (const l of listeners) l()
    return true
  }
  if (result.reason === 'wrong') useLockStore.setState({ left: result.left })
  else useLockStore.setState({ status: 'locked-out', left: null })
  return false
}

/** The PIN check for leaving client mode: the same count of wrong tries as the lock screen. */
export async function checkPin(pin: string): Promise<boolean> {
  const db = database()
  if (!db.requireKeys) return false
  return unlock(pin)
}

export function lockNow(): void {
  const db = database()
  if (!db.requireKeys || !db.keys) return
  lockKeys(db)
  void refreshLock()
}

/** After the server accepted the password: opens (or makes) the person's key. */
export async function keyAfterLogin(personId: string, password: string): Promise<void> {
  await afterOnlineLogin(database(), personId, password)
  if (database().keys) await sealPlainRows(database())
  await refreshLock()
  for (const l of listeners) l()
}

export async function choosePinAfterLogin(pin: string): Promise<boolean> {
  const ok = await setPinAfterLogin(database(), await currentOwner(), pin)
  if (ok) await refreshLock()
  return ok
}

/** How many changes this device has not sent yet (all practitioners'): the forget warning. */
export function unsentChanges(): Promise<number> {
  return countPending(database())
}

/**
 * Forgets the signed-in practitioner on this device: their sealed rows (unsent ones included)
 * and their key. The last practitioner on the device wipes it entirely.
 */
export async function forgetThisDevice(): Promise<void> {
  const db = database()
  const owner = await currentOwner()
  const entry = await keyringEntry(db, owner)
  const others = Object.keys(await loadKeyring(db)).filter((o) => o !== owner)
  if (others.length === 0) {
    await wipeDevice(db, 'forgotten')
    lockKeys(db)
  } else {
    if (entry) await forgetKey(db, entry.kid)
    await forgetKeys(db, owner)
  }
  await refreshLock()
}

/** Idle and hidden lock for the app (organisation's idleLockMinutes, default 5). */
export function startLockWatch(inClientMode: () => boolean): () => void {
  const idle = createIdleLock({
    now: () => Date.now(),
    minutes: () => useOrgSettingsStore.getState().settings?.idleLockMinutes,
    inClientMode,
    lock: lockNow,
  })
  const onActivity = () => idle.activity()
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') idle.hidden()
  }
  const events = ['pointerdown', 'keydown', 'wheel'] as const
  for (const e of events) window.addEventListener(e, onActivity, { passive: true })
  document.addEventListener('visibilitychange', onVisibility)
  const timer = setInterval(() => idle.check(), 10_000)
  return () => {
    for (const e of events) window.removeEventListener(e, onActivity)
    document.removeEventListener('visibilitychange', onVisibility)
    clearInterval(timer)
  }
}
