import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useUiStore } from '../../state/ui-store.ts'

export function AppHeader() {
  const { t } = useTranslation()
  const online = useUiStore((s) => s.online)
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <img src="/icons/icon.svg" alt="" width="32" height="32" />
        {t('app.name')}
      </Link>
      <nav aria-label={t('nav.main')} className="main-nav">
        <Link href="/">{t('nav.clients')}</Link>
        <Link href="/settings">{t('nav.settings')}</Link>
      </nav>
      <span className={`net-status ${online ? 'is-online' : 'is-offline'}`} role="status">
        {online ? t('network.online') : t('network.offline')}
      </span>
    </header>
  )
}
