import type { TFunction } from 'i18next'
import { intlLocale, type UiLocale } from '../../i18n/index.ts'
import type { ClockSkew } from '../../state/clock-skew.ts'
import type { SyncStatus } from '../../sync/index.ts'

const KNOWN = new Set([
  'network',
  'invalid_credentials',
  'too_many_attempts',
  'unauthorised',
  'token_expired',
  'forbidden',
  'update_required',
  'seq_reused',
  'seq_gap',
  'device_revoked',
  'account_deactivated',
  'epoch_changed',
  'too_large',
  'password_change_required',
  'device_not_yours',
  'session_revoked_reuse',
  'session_expired',
])

/** Reasons the server gives for refusing one change (S8) that the person can act on. */
const REFUSALS = new Set([
  'unit_not_allowed',
  'invalid_version_chain',
  'chain_of_another_practitioner',
])

/** Why the device session ended when the person must hear it (ended for safety, or expired). */
export function signInAgainReason(status: SyncStatus | null | undefined): string | null {
  const code = status?.state === 'logged-out' ? status.lastError?.code : undefined
  return code === 'session_revoked_reuse' || code === 'session_expired' ? code : null
}

/**
 * A sync, sign-in or API failure in the person's words: a code, or anything carrying one (a
 * SyncHttpError, the sync status's last error). "Too many attempts" says when to try again.
 */
export function syncErrorText(failure: unknown, t: TFunction): string {
  const code =
    typeof failure === 'string'
      ? failure
      : failure !== null && typeof failure === 'object' && 'code' in failure
        ? String(failure.code)
        : undefined
  if (code === 'rate_limited') {
    const seconds =
      failure !== null && typeof failure === 'object' && 'retryAfterSeconds' in failure
        ? failure.retryAfterSeconds
        : null
    return rateLimitedText(typeof seconds === 'number' ? seconds : null, t)
  }
  return code && KNOWN.has(code) ? t(`syncError.${code}`) : t('syncError.other')
}

function rateLimitedText(seconds: number | null, t: TFunction): string {
  if (seconds === null || seconds <= 0) return t('syncError.rate_limited')
  if (seconds < 60) return t('syncError.rate_limited_seconds', { count: Math.ceil(seconds) })
  return t('syncError.rate_limited_minutes', { count: Math.ceil(seconds / 60) })
}

/** Why the server refused one change, in the person's words; null for reasons without words of their own. */
export function refusalText(reason: string, t: TFunction): string | null {
  return REFUSALS.has(reason) ? t(`account.refusal.${reason}`) : null
}

/** "The tablet's clock is 3 days ahead …" in the person's language, units and plural included. */
export function clockSkewText(skew: ClockSkew, t: TFunction, locale: UiLocale): string {
  const amount = new Intl.NumberFormat(intlLocale(locale), {
    style: 'unit',
    unit: skew.unit,
    unitDisplay: 'long',
  }).format(skew.amount)
  return t(skew.direction === 'ahead' ? 'account.clockAhead' : 'account.clockBehind', { amount })
}
