import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { useClientModeStore } from '../../state/client-mode-store.ts'
import { currentEpisode } from '../../state/client-summaries.ts'
import { type ClientDetail, coreEpisodeOf, loadClientDetail } from '../../state/clients-store.ts'
import { loadClientCharts } from '../charts/load-charts.ts'
import { StartSession } from '../session/StartSession.tsx'
import { ErrorBoundary } from '../shared/ErrorBoundary.tsx'
import { useFormat } from '../shared/use-format.ts'
import { EpisodeClosed } from './EpisodeClosed.tsx'
import { EndEpisodeDialog } from './EpisodeDialogs.tsx'
import { EpisodeHistory } from './EpisodeHistory.tsx'
import { ExportButtons } from './ExportButtons.tsx'
import { loadRemoteLinks } from './remote/load-remote-links.ts'
import { StatusPanel } from './StatusBadge.tsx'
import { UnfinishedForms } from './UnfinishedForms.tsx'

// chart.js is loaded only when a chart is shown, never with client mode.
const ClientCharts = lazy(loadClientCharts)
// Remote links need a connection and their own words; they load after the page.
const RemoteLinks = lazy(loadRemoteLinks)

export function ClientPage({
  clientId,
  readOnly: readOnlyView = false,
}: {
  clientId: string
  readOnly?: boolean
}) {
  const { t } = useTranslation()
  const lastFinishedIds = useClientModeStore((s) => s.lastFinishedIds)
  const [detail, setDetail] = useState<ClientDetail | null | undefined>(undefined)
  const [ending, setEnding] = useState(false)
  const fmt = useFormat()

  const reload = useCallback(() => {
    void loadClientDetail(clientId).then(setDetail)
  }, [clientId])
  useEffect(reload, [reload])
  // The client list's "resume the unfinished form" lands here: bring that section into view.
  const hasDetail = detail !== undefined && detail !== null
  useEffect(() => {
    if (hasDetail && window.location.hash === '#unfinished') {
      const section = document.getElementById('unfinished')
      section?.scrollIntoView({ block: 'start' })
      section?.querySelector('button')?.focus()
    }
  }, [hasDetail])

  if (detail === undefined) return null
  if (detail === null) {
    return (
      <section className="panel">
        <h1>{t('client.notFound')}</h1>
        <Link href="/">{t('nav.clients')}</Link>
      </section>
    )
  }
  const { client, records, summary } = detail
  const readOnly = readOnlyView || client.readOnly === true
  const episode = currentEpisode(detail.episodes)
  const coreEpisode = coreEpisodeOf(episode, client, records)
  // The current episode's forms: a new episode starts afresh (suggested form, "just marked").
  const current = records.filter(
    (r) =>
      r.status === 'final' &&
      r.voided === null &&
      r.supersededBy === null &&
      r.episodeId === episode?.id,
  )
  const justFinished = current.filter((r) => lastFinishedIds.includes(r.id))
  const open = episode !== null && episode.endedAt === null
  const drafts = records.filter(
    (r) => r.status === 'draft' && episode !== null && r.episodeId === episode.id,
  )

  return (
    <section className="panel client-page" aria-labelledby="client-title">
      <p className="breadcrumb no-print">
        <Link href="/">{t('nav.clients')}</Link>
      </p>
      <h1 id="client-title">{t('client.title', { code: client.code })}</h1>
      {client.readOnly === true && !readOnlyView && (
        <p className="notice">{t('client.superviseeReadOnly')}</p>
      )}
      <p className="muted">
        {t(`ageGroup.${client.ageGroup}`)}
        {client.birthYear ? ` · ${t('client.born', { year: client.birthYear })}` : ''}
        {episode ? ` · ${t('client.episodeSince', { date: fmt.date(episode.startedAt) })}` : ''}
        {episode?.endedAt
          ? ` · ${t('client.episodeEnded', { date: fmt.date(episode.endedAt) })}`
          : ''}
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
      {!readOnly && episode !== null && !open && (
        <EpisodeClosed detail={detail} episode={episode} onChanged={reload} />
      )}
      {!readOnly && open && <UnfinishedForms drafts={drafts} onChanged={reload} />}
      <StatusPanel status={summary.status} closed={summary.closed} />
      {coreEpisode && (
        <ErrorBoundary fallback={<p className="muted">{t('charts.unavailable')}</p>}>
          <Suspense fallback={<p className="muted">{t('charts.loading')}</p>}>
            <ClientCharts episode={coreEpisode} ageGroup={client.ageGroup} code={client.code} />
          </Suspense>
        </ErrorBoundary>
      )}
      {!readOnly && (!episode || open) && (
        <div className="no-print">
          <StartSession client={client} records={current} />
          <p>
            <Link href={`/clients/${client.id}/typed`}>{t('client.typeScores')}</Link>
          </p>
        </div>
      )}
      {!readOnly && open && episode && (
        <ErrorBoundary fallback={null}>
          <Suspense fallback={null}>
            <RemoteLinks client={client} episodeId={episode.id} records={records} />
          </Suspense>
        </ErrorBoundary>
      )}
      <h2>{t('client.history')}</h2>
      <EpisodeHistory
        episodes={detail.episodes}
        records={records}
        readOnly={readOnly}
        onChanged={reload}
      />
      {!readOnly && (
        <div className="no-print client-footer">
          <ExportButtons clientIds={[client.id]} />
          <p>
            <Link href={`/clients/${client.id}/access-log`}>{t('accessLog.title')}</Link>
          </p>
          {open && (
            <p>
              <button type="button" onClick={() => setEnding(true)}>
                {t('episode.endOpen')}
              </button>
            </p>
          )}
        </div>
      )}
      {ending && (
        <EndEpisodeDialog
          detail={detail}
          hasDrafts={drafts.length > 0}
          onClose={(changed) => {
            setEnding(false)
            if (changed) reload()
          }}
        />
      )}
    </section>
  )
}
