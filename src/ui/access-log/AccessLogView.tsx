import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ACCESS_LOG_WORDS, accessLogLine, osloTime } from '../../core/access-log.ts'
import { type AccessLog, fetchAccessLog, fetchAccessLogCsv } from '../../state/access-log.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { downloadText } from '../shared/download.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

/**
 * One client's innsynslogg as a page to print and hand to the client, and as CSV. Each time it
 * is shown the server produces it anew, and logs that it did.
 */
export function AccessLogView({ clientId }: { clientId: string }) {
  const { t } = useTranslation()
  const locale = useUiStore((s) => s.locale)
  const [log, setLog] = useState<AccessLog | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    setLog(null)
    setError(null)
    fetchAccessLog(clientId).then(setLog, (err: unknown) => setError(syncErrorText(err, t)))
  }, [clientId, t])

  const downloadCsv = async () => {
    setError(null)
    try {
      const csv = await fetchAccessLogCsv(clientId, locale)
      const day = new Date().toISOString().slice(0, 10)
      // The file name carries no client code.
      downloadText(`linja-innsynslogg-${day}.csv`, 'text/csv;charset=utf-8', csv)
    } catch (err) {
      setError(syncErrorText(err, t))
    }
  }

  if (!log) return <ErrorText message={error} />
  const columns = ACCESS_LOG_WORDS[locale].columns
  return (
    <section className="access-log" aria-labelledby="access-log-title">
      <h2 id="access-log-title">{t('accessLog.heading', { code: log.code })}</h2>
      <p>{t('accessLog.intro')}</p>
      <p className="muted">
        {t('accessLog.produced', { time: osloTime(log.producedAt), years: log.retentionYears })}
      </p>
      <div className="row no-print">
        <button type="button" onClick={() => window.print()}>
          {t('accessLog.print')}
        </button>
        <button type="button" onClick={() => void downloadCsv()}>
          {t('accessLog.csv')}
        </button>
      </div>
      <ErrorText message={error} />
      {log.entries.length === 0 ? (
        <p>{t('accessLog.empty')}</p>
      ) : (
        <table className="history access-log-table">
          <caption className="sr-only">{t('accessLog.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{columns.at}</th>
              <th scope="col">
                {columns.person}
                <span className="muted"> · {columns.role}</span>
              </th>
              <th scope="col">{columns.relation}</th>
              <th scope="col">{columns.channel}</th>
              <th scope="col">{columns.device}</th>
            </tr>
          </thead>
          <tbody>
            {log.entries.map((entry, i) => {
              const [at, person, role, relation, channel, device] = accessLogLine(entry, locale)
              return (
                // Entries have no id of their own; the order is fixed (newest first).
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={i}>
                  <td>{at}</td>
                  {/* Name and role in one cell: six columns do not fit a tablet standing up. */}
                  <td>
                    {person}
                    <br />
                    <span className="muted">{role}</span>
                  </td>
                  <td>{relation}</td>
                  <td>{channel}</td>
                  <td>{device}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <p className="muted">{t('accessLog.tabletOnly')}</p>
    </section>
  )
}
