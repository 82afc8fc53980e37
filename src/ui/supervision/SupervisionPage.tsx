import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import type { Aggregates, StatusColour, StatusReason } from '../../core/index.ts'
import { isSyncHttpError, NETWORK_ERROR } from '../../state/errors.ts'
import { type Fetched, fetchKeepingCopy } from '../../state/fetched-copy.ts'
import { apiJson } from '../../state/online-api.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { StatusBadge, useReasonText } from '../clients/StatusBadge.tsx'
import { AggregatesTable } from '../reports/AggregatesTable.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'

interface SuperviseeClient {
  clientId: string
  code: string
  ageGroup: string
  colour: StatusColour
  reasons: StatusReason[]
  /** The current episode has ended (absent from servers before this field existed). */
  closed?: boolean
}
interface Supervisee {
  personId: string
  displayName: string
  clients: SuperviseeClient[]
}

const isSupervisees = (v: unknown): v is Supervisee[] =>
  Array.isArray(v) &&
  v.every((s) => s !== null && typeof s === 'object' && Array.isArray((s as Supervisee).clients))

function Aggregated({ personId }: { personId: string }) {
  const { t } = useTranslation()
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10)
  const [from, setFrom] = useState(yearAgo)
  const [to, setTo] = useState(new Date().toISOString().slice(0, 10))
  const [result, setResult] = useState<{ aggregates: Aggregates; n: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = async () => {
    setError(null)
    try {
      setResult(
        await apiJson(
          `/api/supervision/supervisees/${encodeURIComponent(personId)}/aggregates?from=${from}&to=${to}`,
        ),
      )
    } catch (err) {
      setError(syncErrorText(err, t))
    }
  }
  return (
    <div className="aggregated">
      <div className="row">
        <label className="field">
          <span>{t('supervision.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('supervision.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" onClick={() => void load()}>
          {t('supervision.showFigures')}
        </button>
      </div>
      <ErrorText message={error} />
      {result && (
        <AggregatesTable
          aggregates={result.aggregates}
          caption={t('supervision.figures', { n: result.n })}
        />
      )}
    </div>
  )
}

/** The supervisor's supervisees and their clients, most in need of attention first. Needs a connection. */
export function SupervisionPage() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const reasonText = useReasonText()
  const isSupervisor = useSyncStore((s) => s.person?.roles.includes('supervisor') === true)
  // The last copy (kept on the device) is shown with its date when the network is gone.
  const [data, setData] = useState<Fetched<Supervisee[]> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const refresh = useCallback(async () => {
    try {
      setData(
        await fetchKeepingCopy(
          'supervision',
          () => apiJson<Supervisee[]>('/api/supervision/supervisees'),
          isSupervisees,
        ),
      )
      setError(null)
    } catch (err) {
      setError(
        isSyncHttpError(err) && err.code === NETWORK_ERROR
          ? t('supervision.needsNetwork')
          : syncErrorText(err, t),
      )
    }
  }, [t])
  useEffect(() => {
    if (isSupervisor) void refresh()
  }, [isSupervisor, refresh])

  if (!isSupervisor) {
    return (
      <section className="panel">
        <h1>{t('supervision.title')}</h1>
        <p>{t('supervision.notAllowed')}</p>
      </section>
    )
  }
  return (
    <section className="panel" aria-labelledby="supervision-title">
      <h1 id="supervision-title">{t('supervision.title')}</h1>
      <ErrorText message={error} />
      {data &&
        (data.fromCopy ? (
          <p className="notice" role="status">
            {t('copy.offline', { time: fmt.dateTime(data.fetchedAt) })}
          </p>
        ) : (
          <p className="muted">{t('admin.fetchedAt', { time: fmt.dateTime(data.fetchedAt) })}</p>
        ))}
      {data?.value.map((s) => (
        <section key={s.personId} aria-labelledby={`sv-${s.personId}`} className="supervisee">
          <h2 id={`sv-${s.personId}`}>{s.displayName}</h2>
          {s.clients.length === 0 ? (
            <p>{t('supervision.noClients')}</p>
          ) : (
            <table className="client-table">
              <thead>
                <tr>
                  <th scope="col">{t('clients.code')}</th>
                  <th scope="col">{t('status.title')}</th>
                  <th scope="col">{t('supervision.why')}</th>
                </tr>
              </thead>
              <tbody>
                {s.clients.map((c) => (
                  <tr key={c.clientId}>
                    <th scope="row">
                      <Link href={`/supervision/clients/${c.clientId}`}>{c.code}</Link>
                    </th>
                    <td>
                      <StatusBadge
                        status={{ colour: c.colour, reasons: c.reasons }}
                        closed={c.closed === true}
                      />
                    </td>
                    <td>{c.reasons.map(reasonText).join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Aggregated personId={s.personId} />
        </section>
      ))}
    </section>
  )
}
