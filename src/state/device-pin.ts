// Stores the practitioner's device PIN as a salted PBKDF2 hash in the device database (meta table).
import { getMeta, setMeta } from '../storage/index.ts'
import { database } from './database.ts'

const PIN_KEY = 'devicePin'
export const PIN_ITERATIONS = 310_000

interface PinRecord {
  salt: string
  hash: string
  iterations: number
}

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromB64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<string> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(pin),
    'PBKDF2',
    false,
    ['deriveBits'],
  )
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    256,
  )
  return toB64(new Uint8Array(bits))
}

export function isValidPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin)
}

export async function hasPin(): Promise<boolean> {
  return (await getMeta<PinRecord>(database(), PIN_KEY)) !== undefined
}

export async function setPin(pin: string): Promise<void> {
  if (!isValidPin(pin)) throw new Error('PIN must be 4–8 digits')
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await derive(pin, salt, PIN_ITERATIONS)
  await setMeta(database(), PIN_KEY, { salt: toB64(salt), hash, iterations: PIN_ITERATIONS })
}

export async function verifyPin(pin: string): Promise<boolean> {
  const record = await getMeta<PinRecord>(database(), PIN_KEY)
  if (!record) return false
  const hash = await derive(pin, fromB64(record.salt), record.iterations)
  // Constant-time enough for a local check: compare every character.
  let diff = hash.length ^ record.hash.length
  for (let i = 0; i < hash.length; i++)
    diff |= hash.charCodeAt(i) ^ (record.hash.charCodeAt(i) || 0)
  return diff === 0
}
