// Remote links' constants and short-code spelling, with no imports: the client's small /r/ page
// takes them from here without the schema library (remote-links.ts has the schemas).

export const REMOTE_LINK_STATES = ['waiting', 'completed', 'expired', 'revoked', 'locked'] as const
export type RemoteLinkState = (typeof REMOTE_LINK_STATES)[number]
export const REMOTE_CHANNELS = ['email', 'sms', 'show'] as const
export type RemoteChannel = (typeof REMOTE_CHANNELS)[number]
export const DELIVERY_KINDS = ['link', 'code', 'reminder'] as const
export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const

/** Wrong codes that end a link. */
export const REMOTE_CODE_ATTEMPTS = 5
/** The organisation's expiry setting, in hours (default 7 days, at most 30). */
export const REMOTE_LINK_HOURS = { minimum: 1, maximum: 720, default: 168 } as const

/** Crockford's base32: no I, L, O or U, so a code read aloud cannot be mistaken. */
export const SHORT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** A short code as typed: any case, with or without the dash or spaces; I/L read as 1, O as 0. */
export function normaliseShortCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
}
/** XXXXX-XXXXX, as the practitioner reads it out. */
export function formatShortCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`
}
