import type { TFunction } from 'i18next'

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
