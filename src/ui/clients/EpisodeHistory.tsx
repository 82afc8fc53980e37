import { useTranslation } from 'react-i18next'
import type { Administration, Episode } from '../../state/clients-store.ts'
import { useFormat } from '../shared/use-format.ts'
import { HistoryTable } from './HistoryTable.tsx'

/** Every episode of the client, newest first, each with its ending, reopenings and forms. */
export function EpisodeHistory(props: {
  episodes: Episode[]
  records: Administration[]
  readOnly: boolean
  onChanged: () => void
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const endingText = (ending: Episode['ending']) =>
    ending ? t(`episode.endings.${ending}`) : t('episode.noEnding')
  const finished = props.records.filter((r) => r.status !== 'draft')
  // Forms from before their episode reached this tablet still show, under no episode heading.
  const known = new Set(props.episodes.map((e) => e.id))
  const loose = finished.filter((r) => !known.has(r.episodeId))
  if (props.episodes.length === 0 || (finished.length === 0 && props.episodes.length === 1)) {
    return <HistoryTable records={finished} readOnly={props.readOnly} onChanged={props.onChanged} />
  }
  const numbered = props.episodes.map((e, i) => ({ episode: e, n: i + 1 })).reverse()
  return (
    <>
      {numbered.map(({ episode, n }) => {
        const records = finished.filter((r) => r.episodeId === episode.id)
        return (
          <section
            key={episode.id}
            className="episode-history"
            aria-labelledby={`ep-${episode.id}`}
          >
            <h3 id={`ep-${episode.id}`}>
              {t('episode.heading', {
                n,
                from: fmt.date(episode.startedAt),
                to: episode.endedAt ? fmt.date(episode.endedAt) : t('episode.ongoing'),
              })}
            </h3>
            <ul className="episode-events">
              {(episode.reopenings ?? []).map((r) => (
                <li key={r.at}>
                  {t('episode.reopened', {
                    date: fmt.dateTime(r.at),
                    reason: r.reason,
                    ended: fmt.date(r.endedAt),
                    ending: endingText(r.ending),
                  })}
                </li>
              ))}
              {episode.endedAt && (
                <li>
                  {t('episode.endedAs', {
                    date: fmt.date(episode.endedAt),
                    ending: endingText(episode.ending),
                  })}
                </li>
              )}
            </ul>
            {records.length === 0 ? (
              <p className="muted">{t('episode.noForms')}</p>
            ) : (
              <HistoryTable
                records={records}
                readOnly={props.readOnly}
                onChanged={props.onChanged}
                labelledBy={`ep-${episode.id}`}
              />
            )}
          </section>
        )
      })}
      {loose.length > 0 && (
        <HistoryTable records={loose} readOnly={props.readOnly} onChanged={props.onChanged} />
      )}
    </>
  )
}
