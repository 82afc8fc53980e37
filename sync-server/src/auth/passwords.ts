// Password hashing with scrypt; the stored string carries its parameters so they can be raised later.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

const R = 8
const P = 1
/** scrypt's cost: 16384 (16 MiB, tens of milliseconds a hash). */
let N = 16384

/**
 * For the in-process test suites only (tests/server/support/cheap-hashing.ts): hundreds of test
 * accounts at full cost took minutes of CPU. The server never calls it, and a stored hash carries
 * its own cost, so verifying is the same code either way.
 */
export function lowerPasswordCostForTests(cost: number): void {
  N = cost
}
const KEY_LENGTH = 32

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    )
  })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, { N, r: R, p: P })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [, n, r, p, salt, hash] = parts
  const expected = Buffer.from(hash ?? '', 'base64url')
  const key = await derive(password, Buffer.from(salt ?? '', 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A hash that never matches, so an unknown username costs as much time as a wrong password. */
let dummyHash: string | undefined
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= await hashPassword(randomBytes(12).toString('base64url'))
  await verifyPassword(password, dummyHash)
}

/** A password for the first administrator when LINJA_ADMIN_PASSWORD is not set. */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url')
}
