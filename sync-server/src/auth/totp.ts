// TOTP (RFC 6238) for local accounts: secrets sealed for the database, code checks that refuse a replay, recovery codes.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  randomInt,
} from 'node:crypto'
import { generateSecret, generateURI, verifySync } from 'otplib'
import type { TokenSecrets } from './token-secret.ts'

export const TOTP_PERIOD_SECONDS = 30
/** One step either side: a phone's clock a little off, or a code typed as it changed. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS
export const RECOVERY_CODE_COUNT = 10
const ISSUER = 'Linja'
const SEAL_VERSION = 'v1'

export function newTotpSecret(): string {
  return generateSecret()
}

export function otpauthUri(username: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: username, secret })
}

function sealKey(tokenSecret: string): Buffer {
  // Its own key, derived: the token secret itself never encrypts anything.
  return Buffer.from(hkdfSync('sha256', tokenSecret, 'linja', 'totp-secret', 32))
}

/**
 * The secret as stored: AES-256-GCM under a key derived from the token secret, which is never in
 * the database, so a copy of the database or a backup does not hold usable secrets.
 */
export function sealSecret(secret: string, secrets: TokenSecrets): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', sealKey(secrets.current), iv)
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `${SEAL_VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`
}

/**
 * The secret, or null when neither the current nor the previous token secret opens it (the secret
 * was rotated without keeping the previous one): then only a recovery code or an admin reset helps.
 * `resealed` is true when the previous secret opened it: the caller stores it sealed anew.
 */
export function openSecret(
  sealed: string,
  secrets: TokenSecrets,
): { secret: string; resealed: boolean } | null {
  const [version, iv, body] = sealed.split('.')
  if (version !== SEAL_VERSION || !iv || !body) return null
  const candidates = [secrets.current, ...(secrets.previous !== null ? [secrets.previous] : [])]
  for (const [i, candidate] of candidates.entries()) {
    try {
      const data = Buffer.from(body, 'base64url')
      const decipher = createDecipheriv(
        'aes-256-gcm',
        sealKey(candidate),
        Buffer.from(iv, 'base64url'),
      )
      decipher.setAuthTag(data.subarray(data.length - 16))
      const plain = Buffer.concat([
        decipher.update(data.subarray(0, data.length - 16)),
        decipher.final(),
      ])
      return { secret: plain.toString('utf8'), resealed: i > 0 }
    } catch {
      // Not this key: try the next.
    }
  }
  return null
}

export type CodeCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' }

/**
 * Checks a six-digit code at `nowMs`. A right code whose time step is not after `lastStep` (the
 * last one accepted for this person) is a replay: someone saw it, or it was sent twice.
 */
export function checkCode(
  secret: string,
  code: string,
  lastStep: number | null,
  nowMs: number,
): CodeCheck {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'wrong' }
  const result = verifySync({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
  })
  // The TOTP result carries its time step; otplib's union with HOTP's result hides it from the type.
  if (!result.valid || !('timeStep' in result)) return { ok: false, reason: 'wrong' }
  if (lastStep !== null && result.timeStep <= lastStep) return { ok: false, reason: 'replayed' }
  return { ok: true, step: result.timeStep }
}

// No 0/O, 1/I/L: a code copied from paper is typed back without guessing.
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** Ten codes of 12 characters (about 58 bits each), shown as XXXX-XXXX-XXXX. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from(
      { length: 12 },
      () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
    ).join('')
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`
  })
}

/** Random and long enough that a plain SHA-256 suffices; case, spaces and dashes do not count. */
export function hashRecoveryCode(code: string): string {
  const normalised = code.toUpperCase().replace(/[\s-]+/g, '')
  return createHash('sha256').update(normalised).digest('base64url')
}
