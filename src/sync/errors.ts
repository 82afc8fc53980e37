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

  constructor(status: number, code: SyncFailureCode, body: SyncErrorBody = {}, message?: string) {
    super(message ?? body.message ?? `${code} (${status})`)
    this.name = 'SyncHttpError'
    this.status = status
    this.code = code
    this.body = body
  }
}

export function isSyncHttpError(error: unknown): error is SyncHttpError {
  return error instanceof SyncHttpError
}

export function networkError(cause?: unknown): SyncHttpError {
  const detail = cause instanceof Error ? cause.message : 'no answer'
  return new SyncHttpError(0, NETWORK_ERROR, {}, `Could not reach the server: ${detail}`)
}

/** Turns a non-2xx answer into a SyncHttpError; a body without a code gets `http_<status>`. */
export function errorFromAnswer(status: number, body: unknown): SyncHttpError {
  const parsed: SyncErrorBody =
    body !== null && typeof body === 'object' ? (body as SyncErrorBody) : {}
  const code = typeof parsed.error === 'string' ? parsed.error : `http_${status}`
  return new SyncHttpError(status, code, parsed)
}

export const WIPE_CODES: readonly string[] = [
  SYNC_ERRORS.deviceRevoked,
  SYNC_ERRORS.accountDeactivated,
]
