import { useTranslation } from 'react-i18next'
import { useAppUpdateStore } from '../../state/app-update-store.ts'

/** "New version": shown on the practitioner's screens only; nothing reloads until they choose. */
export function UpdateBanner() {
  const { t } = useTranslation()
  const updateReady = useAppUpdateStore((s) => s.updateReady)
  const applyUpdate = useAppUpdateStore((s) => s.applyUpdate)
  if (!updateReady) return null
  return (
    <div className="update-banner" role="status">
      <span>{t('update.ready')}</span>
      <button type="button" className="primary" onClick={applyUpdate}>
        {t('update.apply')}
      </button>
    </div>
  )
}
