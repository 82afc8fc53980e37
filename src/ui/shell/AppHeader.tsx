import { useTranslation } from 'react-i18next'
import { useUiStore } from '../../state/ui-store.ts'

export function AppHeader() {
  const { t } = useTranslation()
  const online = useUiStore((s) => s.online)
  return (
    <header className="app-header">
      <span className="brand">
        <img src="/icons/icon.svg" alt="" width="32" height="32" />
        {t('app.name')}
      </span>
      <span className={`net-status ${online ? 'is-online' : 'is-offline'}`} role="status">
        {online ? t('network.online') : t('network.offline')}
      </span>
    </header>
  )
}
