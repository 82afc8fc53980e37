import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useClientModeStore } from '../../state/client-mode-store.ts'
import { administrationsFor, useClientsStore } from '../../state/clients-store.ts'
import type { Administration, Client } from '../../storage/index.ts'
import { StartSession } from '../session/StartSession.tsx'
import { useFormat } from '../shared/use-format.ts'
import { HistoryTable } from './HistoryTable.tsx'

export function ClientPage({ clientId }: { clientId: string }) {
  const { t } = useTranslation()
  const clients = useClientsStore((s) => s.clients)
  const refresh = useClientsStore((s) => s.refresh)
  const lastFinishedIds = useClientModeStore((s) => s.lastFinishedIds)
  const [records, setRecords] = useState<Administration[] | null>(null)
  const fmt = useFormat()

  useEffect(() => {
    void refresh()
    void administrationsFor(clientId).then(setRecords)
  }, [clientId, refresh])

  const client: Client | undefined = clients.find((c) => c.id === clientId)
  if (!client) {
    return (
      <section className="panel">
        <h1>{t('client.notFound')}</h1>
        <Link href="/">{t('nav.clients')}</Link>
      </section>
    )
  }
  const justFinished = (records ?? []).filter((r) => lastFinishedIds.includes(r.id))

  return (
    <section className="panel" aria-labelledby="client-title">
      <p className="breadcrumb">
        <Link href="/">{t('nav.clients')}</Link>
      </p>
      <h1 id="client-title">{t('client.title', { code: client.code })}</h1>
      <p className="muted">
        {t(`ageGroup.${client.ageGroup}`)}
        {client.birthYear ? ` · ${t('client.born', { year: client.birthYear })}` : ''}
      </p>
      {justFinished.length > 0 && (
        <div className="result-box" role="status">
          <h2>{t('client.justMarked')}</h2>
          <ul>
            {justFinished.map((r) => (
              <li key={r.id}>
                {r.instrumentId}: {r.total === null ? '–' : fmt.score(r.total)}{' '}
                <span className="muted">
                  (
                  {Object.values(r.items)
                    .map((v) => (v === null ? '–' : fmt.score(v)))
                    .join(' · ')}
                  )
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <StartSession client={client} records={records ?? []} />
      <p>
        <Link href={`/clients/${client.id}/typed`}>{t('client.typeScores')}</Link>
      </p>
      <h2>{t('client.history')}</h2>
      {records && <HistoryTable records={records} />}
    </section>
  )
}
