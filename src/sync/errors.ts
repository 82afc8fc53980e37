// Typed failures of a sync request: the server's stable error code, or `network` when no answer came.
import { SYNC_ERRORS, type SyncErrorCode } from '../core/sync-protocol.ts'

export const NETWORK_ERROR = 'network'
/** Codes the app acts on, `network`, or another code the server sent (kept as it came). */
export type SyncFailureCode = SyncErrorCode | typeof NETWORK_ERROR | (string & {})

export interface SyncErrorBody {
  error?: string
  message?: string
  wipe?: boolean
  expected?: number
  seq?: number
  serverEpoch?: string
  [key: string]: unknown
}

export class SyncHttpError extends Error {
  readonly status: number
  readonly code: SyncFailureCode
  readonly body: SyncErrorBody
  /** From the answer's Retry-After (a 429): how long until trying again makes sense. */
  readonly retryAfterSeconds: number | null

  constructor(
    status: number,
    code: SyncFailureCode,
    body: SyncErrorBody = {},
    message?: string,
    retryAfterSeconds: number | null = null,
  ) {
    super(message ?? body.message ?? `${code} (${status})`)
    this.name = 'SyncHttpError'
    this.status = status
    this.code = code
    this.body = body
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export function isSyncHttpError(error: unknown): error is SyncHttpError {
  return error instanceof SyncHttpError
}

export function networkError(cause?: unknown): SyncHttpError {
  const detail = cause instanceof Error ? cause.message : 'no answer'
  return new SyncHttpError(0, NETWORK_ERROR, {}, `Could not reach the server: ${detail}`)
}

/** Codes for answers without one (a proxy's own page): too large and too many are still said in words. */
const STATUS_CODES: Record<number, string> = { 413: 'too_large', 429: 'rate_limited' }

/** Turns a non-2xx answer into a SyncHttpError; a body without a code gets `http_<status>`. */
export function errorFromAnswer(
  status: number,
  body: unknown,
  retryAfter: string | null = null,
): SyncHttpError {
  const parsed: SyncErrorBody =
    body !== null && typeof body === 'object' ? (body as SyncErrorBody) : {}
  const code =
    typeof parsed.error === 'string' ? parsed.error : (STATUS_CODES[status] ?? `http_${status}`)
  // Retry-After in seconds; the HTTP-date form is not sent by Linja and is ignored.
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : null
  return new SyncHttpError(status, code, parsed, undefined, seconds)
}

/** An error answer's body: JSON when it is, else nothing (a proxy's HTML page is still an answer, not "no network"). */
export function errorBody(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown)
  } catch {
    return null
  }
}

export const WIPE_CODES: readonly string[] = [
  SYNC_ERRORS.deviceRevoked,
  SYNC_ERRORS.accountDeactivated,
]

/** The device session is over, but nothing is wiped: the person signs in again. */
export const SIGN_IN_AGAIN_CODES: readonly string[] = [
  SYNC_ERRORS.unauthorised,
  SYNC_ERRORS.sessionRevokedReuse,
  SYNC_ERRORS.sessionExpired,
]
