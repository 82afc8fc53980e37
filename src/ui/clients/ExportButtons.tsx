import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { exportCsv, exportFhir } from '../../state/export.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { downloadText as download } from '../shared/download.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

/** CSV and FHIR R4 files, made on the device. File names carry no client code. */
export function ExportButtons({ clientIds }: { clientIds?: string[] }) {
  const { t } = useTranslation()
  const locale = useUiStore((s) => s.locale)
  const [error, setError] = useState<string | null>(null)
  const stamp = new Date().toISOString().slice(0, 10)
  const run = async (kind: 'csv' | 'fhir') => {
    setError(null)
    try {
      if (kind === 'csv')
        download(`linja-${stamp}.csv`, 'text/csv;charset=utf-8', await exportCsv(locale, clientIds))
      else
        download(`linja-${stamp}.fhir.json`, 'application/fhir+json', await exportFhir(clientIds))
    } catch {
      setError(t('export.failed'))
    }
  }
  return (
    <section className="export-buttons" aria-labelledby="export-title">
      <h2 id="export-title">{t('export.title')}</h2>
      <div className="row">
        <button type="button" onClick={() => void run('csv')}>
          {t('export.csv')}
        </button>
        <button type="button" onClick={() => void run('fhir')}>
          {t('export.fhir')}
        </button>
      </div>
      <ErrorText message={error} />
    </section>
  )
}
