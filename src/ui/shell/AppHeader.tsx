import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useSyncStore } from '../../state/sync-store.ts'
import { SyncIndicator } from '../account/SyncIndicator.tsx'

export function AppHeader() {
  const { t } = useTranslation()
  const isAdmin = useSyncStore((s) => s.person?.roles.includes('admin') === true)
  const isSupervisor = useSyncStore((s) => s.person?.roles.includes('supervisor') === true)
  const canReport = useSyncStore(
    (s) => s.person?.roles.some((r) => r === 'leader' || r === 'admin') === true,
  )
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
        {isAdmin && <Link href="/admin">{t('nav.admin')}</Link>}
        <Link href="/account">{t('nav.account')}</Link>
      </nav>
      <SyncIndicator />
    </header>
  )
}
