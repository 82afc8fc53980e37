// TOTP (RFC 6238) for local accounts: secrets sealed for the database, code checks that refuse a replay, recovery codes.
import { createDecipheriv, createHash, hkdfSync, randomInt } from 'node:crypto'
import { generateSecret, generateURI, verifySync } from 'otplib'
import { open, type SecretsKey, seal } from './secrets-key.ts'
import type { TokenSecrets } from './token-secret.ts'

export const TOTP_PERIOD_SECONDS = 30
/** One step either side: a phone's clock a little off, or a code typed as it changed. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS
export const RECOVERY_CODE_COUNT = 10
const ISSUER = 'Linja'

export function newTotpSecret(): string {
  return generateSecret()
}

export function otpauthUri(username: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: username, secret })
}

/** Bound into the sealed value, so a secret copied into another person's row does not open there. */
export const totpContext = (personId: string) => `totp_secret:${personId}`
/** The secret shown during an enrolment not yet confirmed (pending_sign_ins.enrol_secret). */
export const enrolmentContext = (personId: string) => `totp_enrolment:${personId}`

/**
 * The secret as stored: sealed with the secrets key, which is never in the database and does not
 * rotate with the token secret, so a copy of the database holds no usable secret and a rotation
 * loses no one's second factor.
 */
export function sealTotpSecret(key: SecretsKey, secret: string, context: string): string {
  return seal(key, secret, context)
}

/** The secret, or null when it was not sealed by this key for this context (see the migration 0020). */
export function openTotpSecret(key: SecretsKey, sealed: string, context: string): string | null {
  try {
    return open(key, sealed, context)
  } catch {
    return null
  }
}

/**
 * Before migration 0020 the secrets were sealed (format 'v1') under a key derived from the token
 * secret, and were lost for everyone who did not sign in while the previous token secret was
 * still configured. Only the migration opens that format now: with the current or previous secret.
 */
export function openTokenSealedSecret(sealed: string, secrets: TokenSecrets): string | null {
  const [version, iv, body] = sealed.split('.')
  if (version !== 'v1' || !iv || !body) return null
  const candidates = [secrets.current, ...(secrets.previous !== null ? [secrets.previous] : [])]
  for (const candidate of candidates) {
    try {
      const key = Buffer.from(hkdfSync('sha256', candidate, 'linja', 'totp-secret', 32))
      const data = Buffer.from(body, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(data.subarray(data.length - 16))
      return Buffer.concat([
        decipher.update(data.subarray(0, data.length - 16)),
        decipher.final(),
      ]).toString('utf8')
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
