import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { SyncIndicator } from '../account/SyncIndicator.tsx'

export function AppHeader() {
  const { t } = useTranslation()
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <img src="/icons/icon.svg" alt="" width="32" height="32" />
        {t('app.name')}
      </Link>
      <nav aria-label={t('nav.main')} className="main-nav">
        <Link href="/">{t('nav.clients')}</Link>
        <Link href="/settings">{t('nav.settings')}</Link>
        <Link href="/account">{t('nav.account')}</Link>
      </nav>
      <SyncIndicator />
    </header>
  )
}
