// Typed errors of the storage layer, and the mapping of IndexedDB's quota error onto them.
import type { ScoreError } from '../core/index.ts'

export const STORAGE_ERROR_CODES = [
  'invalid-code',
  'duplicate-code',
  'invalid-birth-year',
  'missing-age-group',
  'invalid-argument',
  'not-found',
  'unknown-instrument',
  'invalid-rater',
  'unknown-item',
  'invalid-score',
  'not-a-draft',
  'not-final',
  'incomplete',
  'invalid-items',
  'superseded',
  'voided',
  'reason-required',
  'episode-ended',
  'episode-open',
  'episode-not-latest',
  'quota-exceeded',
  'locked',
] as const
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number]

export interface StorageErrorDetails {
  /** Item ids still unmarked ('incomplete'). */
  missingItems?: string[]
  /** What the core's validation found ('invalid-items', 'incomplete', 'invalid-score'). */
  scoreErrors?: ScoreError[]
  cause?: unknown
}

export class StorageError extends Error {
  override readonly name = 'StorageError'
  readonly code: StorageErrorCode
  readonly missingItems: string[]
  readonly scoreErrors: ScoreError[]

  constructor(code: StorageErrorCode, message: string, details: StorageErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.missingItems = details.missingItems ?? []
    this.scoreErrors = details.scoreErrors ?? []
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code)
}

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED'])

/**
 * True for a quota failure however it arrives: a DOMException from IndexedDB, Dexie's
 * QuotaExceededError, or either wrapped as the `inner`/`cause` of an AbortError.
 */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false
  const name: unknown = Reflect.get(error, 'name')
  if (typeof name === 'string' && QUOTA_NAMES.has(name)) return true
  for (const key of ['inner', 'cause']) {
    if (isQuotaError(Reflect.get(error, key), depth + 1)) return true
  }
  const failures: unknown = Reflect.get(error, 'failures')
  return Array.isArray(failures) && failures.some((f) => isQuotaError(f, depth + 1))
}

/** Quota failures become a typed StorageError; everything else passes through unchanged. */
export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageError) return error
  if (isQuotaError(error)) {
    return new StorageError(
      'quota-exceeded',
      'The device has no room left for Linja’s data. Nothing from this step was saved; free up space or sync, then try again.',
      { cause: error },
    )
  }
  return error
}
