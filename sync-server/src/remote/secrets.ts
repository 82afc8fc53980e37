// The three secrets of a remote link (token, short code, six-digit code) and their hashes: only the
// hashes are stored. Token and short code are high-entropy, so a plain SHA-256 is enough; the code
// has a million values, so its HMAC is keyed by the secrets key, which never is in the database.
import {
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto'
import { normaliseShortCode, SHORT_CODE_ALPHABET } from '../../../src/core/remote-link-codes.ts'
import type { SecretsKey } from '../auth/secrets-key.ts'

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Ten Crockford characters: 50 bits, read out as XXXXX-XXXXX. */
export function newShortCode(): string {
  let code = ''
  for (let i = 0; i < 10; i++) code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)]
  return code
}

export function newCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0')
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(`token:${token}`).digest('base64url')
}

export function shortCodeHash(typed: string): string {
  return createHash('sha256')
    .update(`short:${normaliseShortCode(typed)}`)
    .digest('base64url')
}

function codeKey(key: SecretsKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key.sealing, 'linja', 'remote-link-code', 32))
}

export function codeHash(key: SecretsKey, salt: string, code: string): string {
  return createHmac('sha256', codeKey(key)).update(`${salt}:${code}`).digest('base64url')
}

export function codeMatches(key: SecretsKey, salt: string, stored: string, code: string): boolean {
  const given = Buffer.from(codeHash(key, salt, code), 'base64url')
  const expected = Buffer.from(stored, 'base64url')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export function newSalt(): string {
  return randomBytes(16).toString('base64url')
}
