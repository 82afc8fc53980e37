import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { askPersistence, estimateStorage, useStorageStatus } from '../../state/storage-status.ts'

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toLocaleString(undefined, { maximumFractionDigits: 1 })
}

/**
 * Whether the browser keeps the data for good (the app asks by itself once records are stored;
 * a refusal says what is at risk), and what the app uses of what the browser allows.
 */
export function StorageSection() {
  const { t } = useTranslation()
  const persisted = useStorageStatus((s) => s.persisted)
  const refused = useStorageStatus((s) => s.refused)
  const [estimate, setEstimate] = useState<{ usage: number; quota: number } | null>(null)
  const refresh = useCallback(async () => {
    setEstimate(await estimateStorage())
  }, [])
  useEffect(() => {
    void refresh()
  }, [refresh])
  return (
    <section aria-labelledby="storage-title">
      <h2 id="storage-title">{t('storage.title')}</h2>
      <p>{t('storage.explain')}</p>
      <p role="status" className={refused ? 'notice bad' : undefined}>
        {persisted === true
          ? t('storage.persisted')
          : refused
            ? t('storage.refused')
            : persisted === false
              ? t('storage.notPersisted')
              : t('storage.unknown')}
      </p>
      {persisted !== true && (
        <button
          type="button"
          onClick={async () => {
            await askPersistence()
            await refresh()
          }}
        >
          {t('storage.ask')}
        </button>
      )}
      {estimate && (
        <p>{t('storage.usage', { used: mb(estimate.usage), quota: mb(estimate.quota) })}</p>
      )}
    </section>
  )
}
