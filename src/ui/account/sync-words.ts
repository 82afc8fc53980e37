import type { TFunction } from 'i18next'
import { intlLocale, type UiLocale } from '../../i18n/index.ts'
import type { ClockSkew } from '../../state/clock-skew.ts'

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
])

/** A sync or login error code from the server in the person's words. */
export function syncErrorText(code: string | undefined, t: TFunction): string {
  return code && KNOWN.has(code) ? t(`syncError.${code}`) : t('syncError.other')
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
