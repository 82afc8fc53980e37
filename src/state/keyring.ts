// The practitioners' wrapped data keys in the device database (meta 'keyring'): one entry per person, the secret wrapped by the PIN and by the password.
/*
 * The secret is never stored in the clear. `pin` opens it offline; after MAX_PIN_FAILURES wrong
 * PINs in a row that wrap is deleted, and only `recovery` (wrapped by a key derived from the
 * password, used only after the server accepted that password online) can open it again. See
 * docs/security.md for what this protects against and what it does not.
 */
import {
  type DataKeys,
  isWrappedSecret,
  KDF_ITERATIONS,
  keysFromSecret,
  newSecret,
  unwrapKeys,
  unwrapSecret,
  type WrappedSecret,
  WrongSecretError,
  wrapSecret,
} from '../storage/crypto.ts'
import { getMeta, type LinjaDb, StorageError, sealPlainRows, setMeta } from '../storage/index.ts'

export const KEYRING_KEY = 'keyring'
/** The keyring owner before any online login (a device used without an account). */
export const LOCAL_OWNER = 'local'
export const MAX_PIN_FAILURES = 5

export interface KeyringEntry {
  kid: string
  /** null after too many wrong PINs: an online login must come first. */
  pin: WrappedSecret | null
  recovery: WrappedSecret | null
  /** Wrong PINs in a row; counted before each try, so closing the app does not reset it. */
  failures: number
  /** The person's name, for the lock screen (whose data a PIN opens); not clinical. */
  name?: string
}

export type Keyring = Record<string, KeyringEntry>

export interface KdfOptions {
  /** Tests lower it; the app uses KDF_ITERATIONS. */
  iterations?: number
}

export interface LoginOptions extends KdfOptions {
  /**
   * The PIN of the key this device made before anyone signed in (LOCAL_OWNER), given by the
   * person signing in: that key and its data become theirs, and their password can open it too.
   * Without it, the local key stays apart and the person gets a key of their own.
   */
  localPin?: string
}

export type PinResult =
  | { ok: true; keys: DataKeys }
  | { ok: false; reason: 'wrong'; left: number }
  | { ok: false; reason: 'locked-out' | 'no-key' }

function isEntry(value: unknown): value is KeyringEntry {
  if (value === null || typeof value !== 'object') return false
  const v = value as Partial<KeyringEntry>
  return (
    typeof v.kid === 'string' &&
    (v.pin === null || isWrappedSecret(v.pin)) &&
    (v.recovery === null || isWrappedSecret(v.recovery)) &&
    typeof v.failures === 'number' &&
    (v.name === undefined || typeof v.name === 'string')
  )
}

export async function loadKeyring(db: LinjaDb): Promise<Keyring> {
  const value = await getMeta<unknown>(db, KEYRING_KEY)
  if (value === null || typeof value !== 'object') return {}
  return Object.fromEntries(Object.entries(value).filter(([, e]) => isEntry(e))) as Keyring
}

async function saveEntry(db: LinjaDb, owner: string, entry: KeyringEntry | null): Promise<void> {
  const ring = await loadKeyring(db)
  if (entry) ring[owner] = entry
  else delete ring[owner]
  await setMeta(db, KEYRING_KEY, ring)
}

export async function keyringEntry(db: LinjaDb, owner: string): Promise<KeyringEntry | undefined> {
  return (await loadKeyring(db))[owner]
}

const recoveryText = (password: string) => `linja.recovery:${password}`

/**
 * A new secret for `owner` on this device, wrapped by the PIN and (when given) the password;
 * the database is unlocked with it. The first key on a device takes over the plain rows an
 * earlier version left (sealPlainRows).
 */
export async function createKeys(
  db: LinjaDb,
  owner: string,
  pin: string,
  password: string | null,
  options: KdfOptions = {},
): Promise<DataKeys> {
  const first = Object.keys(await loadKeyring(db)).length === 0
  const secret = newSecret()
  try {
    const iterations = options.iterations ?? KDF_ITERATIONS
    const pinWrap = await wrapSecret(secret, pin, { iterations })
    const recovery =
      password === null
        ? null
        : await wrapSecret(secret, recoveryText(password), { iterations, kid: pinWrap.kid })
    const keys = await keysFromSecret(pinWrap.kid, secret)
    await saveEntry(db, owner, { kid: pinWrap.kid, pin: pinWrap, recovery, failures: 0 })
    db.requireKeys = true
    db.unlock(keys)
    if (first) await sealPlainRows(db)
    return keys
  } finally {
    secret.fill(0)
  }
}

/**
 * Opens `owner`'s key with the PIN. Each wrong PIN counts; the MAX_PIN_FAILURES-th deletes the
 * PIN wrap, and from then on only the recovery wrap opens the key (afterOnlineLogin, after an
 * online login).
 */
// Wrong tries also counted in memory: on a full tablet the count cannot be written, and the PIN
// must still open (a practitioner must be able to leave client mode) without giving unlimited tries.
const triesInMemory = new Map<string, number>()

/** A write of the keyring that a full disk may refuse: the memory count stands in for it. */
async function saveUnlessFull(db: LinjaDb, owner: string, entry: KeyringEntry): Promise<void> {
  try {
    await saveEntry(db, owner, entry)
  } catch (error) {
    if (!(error instanceof StorageError && error.code === 'quota-exceeded')) throw error
  }
}

export async function unlockWithPin(db: LinjaDb, owner: string, pin: string): Promise<PinResult> {
  const entry = await keyringEntry(db, owner)
  if (!entry) return { ok: false, reason: 'no-key' }
  if (!entry.pin) return { ok: false, reason: 'locked-out' }
  const failures = Math.max(entry.failures, triesInMemory.get(owner) ?? 0) + 1
  const counted = { ...entry, failures }
  triesInMemory.set(owner, failures)
  await saveUnlessFull(db, owner, counted)
  try {
    const keys = await unwrapKeys(entry.pin, pin)
    triesInMemory.delete(owner)
    await saveUnlessFull(db, owner, { ...counted, failures: 0 })
    db.unlock(keys)
    return { ok: true, keys }
  } catch (error) {
    if (!(error instanceof WrongSecretError)) throw error
    if (counted.failures >= MAX_PIN_FAILURES) {
      await saveUnlessFull(db, owner, { ...counted, pin: null })
      db.lock()
      return { ok: false, reason: 'locked-out' }
    }
    return { ok: false, reason: 'wrong', left: MAX_PIN_FAILURES - counted.failures }
  }
}

/** A new PIN, proven by the current one (a wrong one counts like at unlock). */
export async function changePin(
  db: LinjaDb,
  owner: string,
  oldPin: string,
  newPin: string,
  options: KdfOptions = {},
): Promise<PinResult> {
  const check = await unlockWithPin(db, owner, oldPin)
  if (!check.ok) return check
  const entry = await keyringEntry(db, owner)
  if (!entry?.pin) return { ok: false, reason: 'no-key' }
  const secret = await unwrapSecret(entry.pin, oldPin)
  try {
    const pinWrap = await wrapSecret(secret, newPin, {
      iterations: options.iterations ?? KDF_ITERATIONS,
      kid: entry.kid,
    })
    await saveEntry(db, owner, { ...entry, pin: pinWrap, failures: 0 })
    return check
  } finally {
    secret.fill(0)
  }
}

/** The name the lock screen shows for `owner`'s key (set at each sign-in: names change). */
export async function nameKey(db: LinjaDb, owner: string, name: string): Promise<void> {
  const entry = await keyringEntry(db, owner)
  if (entry && entry.name !== name) await saveEntry(db, owner, { ...entry, name })
}

/** Deletes `owner`'s wrapped key: whatever was sealed with it can never be read again. */
export async function forgetKeys(db: LinjaDb, owner: string): Promise<void> {
  await saveEntry(db, owner, null)
  db.lock()
}

/**
 * What an online login means for `owner`'s key. The password has just been accepted by the
 * server, so it may open the recovery wrap:
 * - 'unlocked': the key opened and has a PIN;
 * - 'needs-pin': the key is open but has no PIN (first login here, or after a lock-out): the
 *   secret is held until setPinAfterLogin, and only until then;
 * - 'sealed-elsewhere': a key exists that this password does not open (changed password).
 */
export type LoginKeyState = 'unlocked' | 'needs-pin' | 'sealed-elsewhere'

let pending: { owner: string; kid: string; secret: Uint8Array<ArrayBuffer> } | null = null

function dropPending(): void {
  pending?.secret.fill(0)
  pending = null
}

export async function afterOnlineLogin(
  db: LinjaDb,
  owner: string,
  password: string,
  options: LoginOptions = {},
): Promise<LoginKeyState> {
  dropPending()
  const iterations = options.iterations ?? KDF_ITERATIONS
  const ring = await loadKeyring(db)
  const local = ring[LOCAL_OWNER]
  if (!ring[owner] && local?.pin && owner !== LOCAL_OWNER && options.localPin !== undefined) {
    // The device was used before its first login, and this person knows its PIN: that key (and
    // its data) becomes theirs, now with a recovery wrap by their password.
    let secret: Uint8Array<ArrayBuffer>
    try {
      secret = await unwrapSecret(local.pin, options.localPin)
    } catch (error) {
      if (error instanceof WrongSecretError) return 'sealed-elsewhere'
      throw error
    }
    try {
      const recovery = await wrapSecret(secret, recoveryText(password), {
        iterations,
        kid: local.kid,
      })
      await saveEntry(db, owner, { ...local, recovery, failures: 0 })
      await saveEntry(db, LOCAL_OWNER, null)
      db.requireKeys = true
      db.unlock(await keysFromSecret(local.kid, secret))
      return 'unlocked'
    } finally {
      secret.fill(0)
    }
  }
  const entry = ring[owner]
  if (!entry) {
    const first = Object.keys(await loadKeyring(db)).length === 0
    const secret = newSecret()
    const recovery = await wrapSecret(secret, recoveryText(password), { iterations })
    await saveEntry(db, owner, { kid: recovery.kid, pin: null, recovery, failures: 0 })
    db.requireKeys = true
    db.unlock(await keysFromSecret(recovery.kid, secret))
    pending = { owner, kid: recovery.kid, secret }
    if (first) await sealPlainRows(db)
    return 'needs-pin'
  }
  if (!entry.recovery) return db.keys?.kid === entry.kid ? 'unlocked' : 'sealed-elsewhere'
  let secret: Uint8Array<ArrayBuffer>
  try {
    secret = await unwrapSecret(entry.recovery, recoveryText(password))
  } catch (error) {
    if (error instanceof WrongSecretError) return 'sealed-elsewhere'
    throw error
  }
  db.requireKeys = true
  db.unlock(await keysFromSecret(entry.kid, secret))
  if (entry.pin) {
    secret.fill(0)
    await saveEntry(db, owner, { ...entry, failures: 0 })
    return 'unlocked'
  }
  pending = { owner, kid: entry.kid, secret }
  return 'needs-pin'
}

export function needsPinAfterLogin(owner: string): boolean {
  return pending?.owner === owner
}

/** The PIN for a key opened by an online login (afterOnlineLogin said 'needs-pin'). */
export async function setPinAfterLogin(
  db: LinjaDb,
  owner: string,
  pin: string,
  options: KdfOptions = {},
): Promise<boolean> {
  if (pending?.owner !== owner) return false
  const entry = await keyringEntry(db, owner)
  if (!entry || entry.kid !== pending.kid) return false
  const pinWrap = await wrapSecret(pending.secret, pin, {
    iterations: options.iterations ?? KDF_ITERATIONS,
    kid: entry.kid,
  })
  await saveEntry(db, owner, { ...entry, pin: pinWrap, failures: 0 })
  dropPending()
  return true
}

/** Locking also drops a secret still waiting for its PIN. */
export function lockKeys(db: LinjaDb): void {
  dropPending()
  db.lock()
}
