// Short-lived access tokens: base64url(JSON payload) + "." + HMAC-SHA256 with the configured secret (auth/token-secret.ts).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const ACCESS_TOKEN_SECONDS = 15 * 60

export interface AccessClaims {
  /** Device session id. */
  sid: string
  /** Person id. */
  pid: string
  /** Expiry, seconds since the epoch. */
  exp: number
}

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url')
}

export function issueAccessToken(
  claims: Omit<AccessClaims, 'exp'>,
  secret: string,
  nowMs = Date.now(),
): { token: string; expiresAt: string } {
  const exp = Math.floor(nowMs / 1000) + ACCESS_TOKEN_SECONDS
  const body = Buffer.from(JSON.stringify({ sid: claims.sid, pid: claims.pid, exp })).toString(
    'base64url',
  )
  return { token: `${body}.${sign(body, secret)}`, expiresAt: new Date(exp * 1000).toISOString() }
}

export type TokenCheck =
  | { ok: true; claims: AccessClaims }
  /** `unknown_key`: well formed, but signed by none of `secrets` (a retired secret, or forged). */
  | { ok: false; reason: 'malformed' | 'expired' | 'unknown_key' }

/** `secrets`: the current one first; after a rotation also the previous one (auth/token-secret.ts). */
export function verifyAccessToken(
  token: string,
  secrets: string | readonly string[],
  nowMs = Date.now(),
): TokenCheck {
  const [body, mac, extra] = token.split('.')
  if (!body || !mac || extra !== undefined) return { ok: false, reason: 'malformed' }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, reason: 'malformed' }
  const { sid, pid, exp } = parsed as Record<string, unknown>
  if (typeof sid !== 'string' || typeof pid !== 'string' || typeof exp !== 'number') {
    return { ok: false, reason: 'malformed' }
  }
  const given = Buffer.from(mac)
  const signedBy = (typeof secrets === 'string' ? [secrets] : secrets).some((secret) => {
    const expected = Buffer.from(sign(body, secret))
    return expected.length === given.length && timingSafeEqual(expected, given)
  })
  if (!signedBy) return { ok: false, reason: 'unknown_key' }
  if (exp * 1000 <= nowMs) return { ok: false, reason: 'expired' }
  return { ok: true, claims: { sid, pid, exp } }
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Refresh tokens are random and long, so a plain SHA-256 is enough to store them. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}
