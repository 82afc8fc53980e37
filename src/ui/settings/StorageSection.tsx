import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { estimateStorage, requestPersistence } from '../../state/storage-status.ts'

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toLocaleString(undefined, { maximumFractionDigits: 1 })
}

/** Explains and asks for persistent storage; shows what the app uses of what the browser allows. */
export function StorageSection() {
  const { t } = useTranslation()
  const [persisted, setPersisted] = useState<boolean | null>(null)
  const [estimate, setEstimate] = useState<{ usage: number; quota: number } | null>(null)
  const refresh = useCallback(async () => {
    setEstimate(await estimateStorage())
    setPersisted((await navigator.storage?.persisted?.()) ?? null)
  }, [])
  useEffect(() => {
    void refresh()
  }, [refresh])
  return (
    <section aria-labelledby="storage-title">
      <h2 id="storage-title">{t('storage.title')}</h2>
      <p>{t('storage.explain')}</p>
      <p role="status">
        {persisted === true
          ? t('storage.persisted')
          : persisted === false
            ? t('storage.notPersisted')
            : t('storage.unknown')}
      </p>
      {persisted !== true && (
        <button
          type="button"
          onClick={async () => {
            setPersisted(await requestPersistence())
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
