import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useOpenRequests } from '../../state/open-requests.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { SyncIndicator } from '../account/SyncIndicator.tsx'
import { CountBadge } from '../shared/CountBadge.tsx'

export function AppHeader() {
  const { t } = useTranslation()
  const isAdmin = useSyncStore((s) => s.person?.roles.includes('admin') === true)
  const isSupervisor = useSyncStore((s) => s.person?.roles.includes('supervisor') === true)
  const canReport = useSyncStore(
    (s) => s.person?.roles.some((r) => r === 'leader' || r === 'admin') === true,
  )
  const openRequests = useOpenRequests((s) => s.count)
  const refreshRequests = useOpenRequests((s) => s.refresh)
  // The administrator learns of leaders' requests as she opens the app, not only on Ansatte.
  useEffect(() => {
    if (isAdmin) void refreshRequests()
  }, [isAdmin, refreshRequests])
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <img src="/icons/icon.svg" alt="" width="32" height="32" />
        {t('app.name')}
      </Link>
      <nav aria-label={t('nav.main')} className="main-nav">
        <Link href="/">{t('nav.clients')}</Link>
        <Link href="/settings">{t('nav.settings')}</Link>
        {isSupervisor && <Link href="/supervision">{t('nav.supervision')}</Link>}
        {canReport && <Link href="/reports">{t('nav.reports')}</Link>}
        {isAdmin && (
          <Link href="/admin">
            {t('nav.admin')}
            <CountBadge
              count={openRequests}
              label={t('access.openCount', { count: openRequests })}
            />
          </Link>
        )}
        <Link href="/account">{t('nav.account')}</Link>
      </nav>
      <SyncIndicator />
    </header>
  )
}
