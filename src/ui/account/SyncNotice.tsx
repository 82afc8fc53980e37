import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { describeClockSkew } from '../../state/clock-skew.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { clockSkewText, signInAgainReason, syncErrorText } from './sync-words.ts'

/** Sync states a practitioner must know about on every screen, not only on the account page. */
export function SyncNotice() {
  const { t } = useTranslation()
  const state = useSyncStore((s) => s.status?.state)
  const conflicts = useSyncStore((s) => s.status?.conflicts.length ?? 0)
  const revokedReason = useSyncStore((s) => s.status?.revokedReason)
  const skewMs = useSyncStore((s) => s.status?.clockSkewMs)
  const signInAgain = useSyncStore((s) => signInAgainReason(s.status))
  const locale = useUiStore((s) => s.locale)
  const [location] = useLocation()
  // The account page says the same thing in full.
  if (location === '/account') return null
  let text: string | null = null
  if (state === 'update-needed') text = t('account.updateNeeded')
  else if (state === 'revoked')
    text = revokedReason === 'account_deactivated' ? t('account.deactivated') : t('account.revoked')
  else if (state === 'device-conflict') text = t('account.deviceConflict')
  else if (signInAgain) text = syncErrorText(signInAgain, t)
  else if (conflicts > 0) text = t('account.conflictsWaiting', { count: conflicts })
  else {
    // Records still sync with a wrong clock, but their times are wrong: worth saying everywhere.
    const skew = describeClockSkew(skewMs)
    if (skew) text = clockSkewText(skew, t, locale)
  }
  if (!text) return null
  return (
    <div className="update-banner sync-notice" role="alert">
      <span>{text}</span>
      <Link href="/account">{t('account.title')}</Link>
    </div>
  )
}
