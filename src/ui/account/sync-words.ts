import type { TFunction } from 'i18next'
import { intlLocale, type UiLocale } from '../../i18n/index.ts'
import type { ClockSkew } from '../../state/clock-skew.ts'
import { NO_SYNC_ROLE } from '../../state/errors.ts'
import type { SessionPerson, SyncStatus } from '../../state/sync-store.ts'

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
  'no_sync_role',
  'invalid_record',
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
 * SyncHttpError, the sync status's last error). "Too many attempts" says when to try again; an
 * answer the app has no words for keeps the server's own reason beside them.
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
  if (code && KNOWN.has(code)) return t(`syncError.${code}`)
  const message =
    failure !== null && typeof failure === 'object' && 'message' in failure
      ? failure.message
      : undefined
  return typeof message === 'string' && message !== '' && code !== undefined
    ? t('syncError.otherWith', { reason: message })
    : t('syncError.other')
}

interface WaitingFacts {
  status: SyncStatus | null
  person: SessionPerson | null
  online: boolean
}

/**
 * Why what waits on the tablet is not being sent, in words (the header says it short, Konto in
 * full), or null when nothing waits or it is on its way.
 */
export function waitingText(
  { status, person, online }: WaitingFacts,
  t: TFunction,
  length: 'short' | 'long',
): string | null {
  if (!status || status.pending === 0) return null
  const key = (reason: string) => `syncWait.${length}.${reason}`
  if (!person || status.state === 'logged-out') return t(key('notSignedIn'))
  if (status.lastError?.code === NO_SYNC_ROLE) return t(key('noRole'), { name: person.displayName })
  if (!online || status.state === 'offline' || status.lastError?.code === 'network')
    return t(key('offline'))
  if (status.lastError && status.state !== 'syncing') {
    return t(key('refused'), { reason: syncErrorText(status.lastError, t) })
  }
  return null
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
