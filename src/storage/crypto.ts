// Encryption of clinical records at rest (nothing is stored here): Web Crypto AES-GCM, HKDF and HMAC keys derived from one random secret, wrapped by a PBKDF2 key.
/*
 * Pure: Web Crypto only (browser and Node 20 alike), no Dexie, no React, no DOM.
 *
 * One random 32-byte secret per practitioner per device. It is never stored in the clear: it is
 * kept wrapped (AES-GCM) by a key derived from the PIN, and a second time by a recovery key
 * (see docs/security.md). Unwrapping imports it straight into a non-extractable HKDF key, from
 * which a non-extractable AES-GCM key (records) and a non-extractable HMAC key (lookup index)
 * are derived. Only re-wrapping (a new PIN) decrypts the secret into memory, for a moment.
 */

export const KDF_ITERATIONS = 600_000
export const SECRET_BYTES = 32
const IV_BYTES = 12
const WRAP_INFO = 'linja.key-wrap.v1'

export interface WrappedSecret {
  v: 1
  /** Key id: names the key in records it sealed (random, says nothing about the person). */
  kid: string
  iterations: number
  salt: Uint8Array
  iv: Uint8Array
  data: Uint8Array
}

/** The unlocked keys of one practitioner, held only in memory. */
export interface DataKeys {
  kid: string
  enc: CryptoKey
  mac: CryptoKey
}

/** A sealed value: AES-GCM ciphertext with its 96-bit nonce. */
export interface Sealed {
  iv: Uint8Array
  ct: Uint8Array
}

export class WrongSecretError extends Error {
  override readonly name = 'WrongSecretError'
  constructor() {
    super('The PIN or recovery key does not open this key.')
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function bytes(view: Uint8Array): Uint8Array<ArrayBuffer> {
  // Copies into a plain ArrayBuffer: Web Crypto's types refuse a shared or resizable buffer.
  const out = new Uint8Array(view.byteLength)
  out.set(view)
  return out
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n))
}

function toHex(data: Uint8Array): string {
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A new random secret (the material of a practitioner's data keys on this device). */
export function newSecret(): Uint8Array<ArrayBuffer> {
  return randomBytes(SECRET_BYTES)
}

/** The key that wraps the secret, derived from a PIN or a recovery string. */
async function deriveWrappingKey(
  secret: string | Uint8Array,
  salt: Uint8Array,
  iterations: number,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    typeof secret === 'string' ? encoder.encode(secret) : bytes(secret),
    'PBKDF2',
    false,
    ['deriveKey'],
  )
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt', 'unwrapKey'],
  )
}

function wrapAad(kid: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${WRAP_INFO}:${kid}`)
}

/**
 * Wraps `secret` under `unlock` (a PIN, or a recovery key as bytes). `iterations` is lowered only
 * for a recovery key that is itself random: PBKDF2 adds nothing to 256 random bits.
 */
export async function wrapSecret(
  secret: Uint8Array,
  unlock: string | Uint8Array,
  options: { kid?: string; iterations?: number } = {},
): Promise<WrappedSecret> {
  const kid = options.kid ?? toHex(randomBytes(8))
  const iterations = options.iterations ?? KDF_ITERATIONS
  const salt = randomBytes(16)
  const iv = randomBytes(IV_BYTES)
  const key = await deriveWrappingKey(unlock, salt, iterations)
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: wrapAad(kid) },
    key,
    bytes(secret),
  )
  return { v: 1, kid, iterations, salt, iv, data: new Uint8Array(data) }
}

/** Derives the record and index keys from the secret held in a non-extractable HKDF key. */
async function keysFrom(kid: string, base: CryptoKey): Promise<DataKeys> {
  const hkdf = (info: string) => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: new Uint8Array(32),
    info: encoder.encode(info),
  })
  const [enc, mac] = await Promise.all([
    crypto.subtle.deriveKey(
      hkdf('linja.records.v1'),
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    ),
    crypto.subtle.deriveKey(
      hkdf('linja.index.v1'),
      base,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    ),
  ])
  return { kid, enc, mac }
}

/** The data keys of a secret in hand (just made; the caller drops the bytes afterwards). */
export async function keysFromSecret(kid: string, secret: Uint8Array): Promise<DataKeys> {
  const base = await crypto.subtle.importKey('raw', bytes(secret), 'HKDF', false, ['deriveKey'])
  return keysFrom(kid, base)
}

/** Opens a wrapped secret with a PIN (or recovery key): the secret never reaches script memory. */
export async function unwrapKeys(
  wrapped: WrappedSecret,
  unlock: string | Uint8Array,
): Promise<DataKeys> {
  const key = await deriveWrappingKey(unlock, wrapped.salt, wrapped.iterations)
  let base: CryptoKey
  try {
    base = await crypto.subtle.unwrapKey(
      'raw',
      bytes(wrapped.data),
      key,
      { name: 'AES-GCM', iv: bytes(wrapped.iv), additionalData: wrapAad(wrapped.kid) },
      'HKDF',
      false,
      ['deriveKey'],
    )
  } catch {
    // AES-GCM's tag check is the PIN check: a wrong PIN fails here and reveals nothing else.
    throw new WrongSecretError()
  }
  return keysFrom(wrapped.kid, base)
}

/** The secret itself, for re-wrapping under a new PIN; the caller zeroes it when done. */
export async function unwrapSecret(
  wrapped: WrappedSecret,
  unlock: string | Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await deriveWrappingKey(unlock, wrapped.salt, wrapped.iterations)
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes(wrapped.iv), additionalData: wrapAad(wrapped.kid) },
      key,
      bytes(wrapped.data),
    )
    return new Uint8Array(plain)
  } catch {
    throw new WrongSecretError()
  }
}

/**
 * Encrypts `value` as JSON. `context` (table and id) is authenticated with it, so a sealed record
 * copied onto another row, or another table, does not open.
 */
export async function seal(keys: DataKeys, value: unknown, context: string): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES)
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    keys.enc,
    encoder.encode(JSON.stringify(value)),
  )
  return { iv, ct: new Uint8Array(ct) }
}

/** Decrypts what `seal` made with the same keys and context; throws on any other. */
export async function unseal<T>(keys: DataKeys, sealed: Sealed, context: string): Promise<T> {
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes(sealed.iv), additionalData: encoder.encode(context) },
    keys.enc,
    bytes(sealed.ct),
  )
  return JSON.parse(decoder.decode(plain)) as T
}

/** A keyed hash (HMAC-SHA-256, hex) for an index: equal inputs match, nothing can be read back. */
export async function keyedHash(keys: DataKeys, text: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', keys.mac, encoder.encode(text))
  return toHex(new Uint8Array(mac))
}

export function isWrappedSecret(value: unknown): value is WrappedSecret {
  if (value === null || typeof value !== 'object') return false
  const v = value as Partial<WrappedSecret>
  return (
    v.v === 1 &&
    typeof v.kid === 'string' &&
    typeof v.iterations === 'number' &&
    v.salt instanceof Uint8Array &&
    v.iv instanceof Uint8Array &&
    v.data instanceof Uint8Array
  )
}
