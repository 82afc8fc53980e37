// Whether the practitioner's data is open on this device: PIN unlock, idle and hidden lock, lock-out; the keyring is in the device database.
import { create } from 'zustand'
import {
  countAllPending,
  countPending,
  forgetKey,
  sealPlainRows,
  wipeDevice,
} from '../storage/index.ts'
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
  MAX_PIN_FAILURES,
  nameKey,
  needsPinAfterLogin,
  setPinAfterLogin,
  unlockWithPin,
} from './keyring.ts'
import { useOrgSettingsStore } from './org-settings-store.ts'

export { LOCAL_OWNER } from './keyring.ts'

/**
 * - no-key: a new tablet (no key at all): a PIN or an online login comes before the first client,
 *   so nothing is ever stored in the clear;
 * - open: the data is readable (unlocked);
 * - locked: the PIN opens it;
 * - locked-out: too many wrong PINs, or no key for whoever is signed in: an online login first;
 * - needs-pin: open after an online login, and a PIN must be chosen before the next lock.
 */
export type LockStatus = 'no-key' | 'open' | 'locked' | 'locked-out' | 'needs-pin'

/**
 * Why an online login must come first (locked-out), each said in its own words:
 * - too-many-pins: wrong PINs were typed until the PIN stopped working;
 * - no-pin: this person signed in here but chose no PIN (the app closed before they did);
 * - no-key: this tablet has no key for the signed-in person.
 */
export type LockOutReason = 'too-many-pins' | 'no-pin' | 'no-key'

interface LockState {
  status: LockStatus
  /** PIN tries left after a wrong one. */
  left: number | null
  reason: LockOutReason | null
}

export const useLockStore = create<LockState>()(() => ({
  status: 'open',
  left: null,
  reason: null,
}))

const listeners = new Set<() => void>()
const lockListeners = new Set<() => void>()
/** Stores that hold decrypted data reload through this after an unlock (client mode). */
export function onUnlock(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * Stores that hold decrypted data in memory (the client list, a form) empty themselves through
 * this when the data is closed: a lock, a lock-out, a sign-out or a wipe.
 */
export function onLock(listener: () => void): () => void {
  lockListeners.add(listener)
  return () => lockListeners.delete(listener)
}

async function currentOwner(): Promise<string> {
  return (await loadSession(database()))?.person.id ?? LOCAL_OWNER
}

/** Reads the keyring: decides whether the device needs a PIN before anything is shown. */
export async function refreshLock(): Promise<LockStatus> {
  const db = database()
  const ring = await loadKeyring(db)
  // The app never writes a record in the clear: without a key, records cannot be read or written.
  db.requireKeys = true
  const owner = await currentOwner()
  const entry = ring[owner]
  let status: LockStatus
  let reason: LockOutReason | null = null
  if (Object.keys(ring).length === 0) status = 'no-key'
  else if (entry && db.keys?.kid === entry.kid)
    status = needsPinAfterLogin(owner) ? 'needs-pin' : 'open'
  else if (entry?.pin) status = 'locked'
  else {
    status = 'locked-out'
    if (!entry) reason = 'no-key'
    else reason = entry.failures >= MAX_PIN_FAILURES ? 'too-many-pins' : 'no-pin'
  }
  useLockStore.setState({ status, left: null, reason })
  if (status !== 'open' && status !== 'needs-pin') for (const l of lockListeners) l()
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
  else {
    const reason = result.reason === 'no-key' ? 'no-key' : 'too-many-pins'
    useLockStore.setState({ status: 'locked-out', left: null, reason })
  }
  return false
}

/** The PIN check for leaving client mode: the same count of wrong tries as the lock screen. */
export async function checkPin(pin: string): Promise<boolean> {
  return unlock(pin)
}

export function lockNow(): void {
  const db = database()
  if (!db.keys) return
  lockKeys(db)
  void refreshLock()
}

/** Whose data a PIN opens on this tablet: the people (and the pre-sign-in data) with a PIN here. */
export interface PinHolder {
  owner: string
  /** undefined for the data stored before anyone signed in, or a key from before names were kept. */
  name: string | undefined
  current: boolean
}

export async function pinHolders(): Promise<PinHolder[]> {
  const ring = await loadKeyring(database())
  const current = await currentOwner()
  return Object.entries(ring)
    .filter(([, e]) => e.pin !== null)
    .map(([owner, e]) => ({ owner, name: e.name, current: owner === current }))
}

/** Whether the device holds a key made before anyone signed in (its PIN may be given at login). */
export async function hasLocalKey(): Promise<boolean> {
  return Boolean((await keyringEntry(database(), LOCAL_OWNER))?.pin)
}

/** The local PIN given at login was wrong (it counts like any PIN try), or is blocked. */
export class LocalPinError extends Error {
  constructor(readonly reason: 'wrong' | 'locked-out' | 'no-key') {
    super(`local PIN: ${reason}`)
  }
}

/** Before an online login that is to take over the local key: the PIN must open it. */
export async function proveLocalPin(pin: string): Promise<void> {
  const result = await unlockWithPin(database(), LOCAL_OWNER, pin)
  if (!result.ok) throw new LocalPinError(result.reason)
}

/** Drops the open keys at once (no status change yet: keyAfterLogin follows and decides it). */
export function closeDataBeforeSession(): void {
  lockKeys(database())
}

/** After the server accepted the password: opens (or makes) the person's key. */
export async function keyAfterLogin(
  person: { id: string; displayName: string },
  password: string,
  localPin?: string,
): Promise<void> {
  const personId = person.id
  await afterOnlineLogin(database(), personId, password, localPin === undefined ? {} : { localPin })
  await nameKey(database(), personId, person.displayName)
  if (database().keys) await sealPlainRows(database())
  await refreshLock()
  for (const l of listeners) l()
}

export async function choosePinAfterLogin(pin: string): Promise<boolean> {
  const ok = await setPinAfterLogin(database(), await currentOwner(), pin)
  if (ok) await refreshLock()
  return ok
}

/**
 * The forget warning: how many unsent changes forgetting would delete. The practitioner's own, or
 * every practitioner's when they are the last on the tablet (then the whole device is wiped).
 */
export async function unsentChanges(): Promise<number> {
  const db = database()
  const owner = await currentOwner()
  const others = Object.keys(await loadKeyring(db)).filter((o) => o !== owner)
  return others.length === 0 ? countAllPending(db) : countPending(db)
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
