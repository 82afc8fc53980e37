import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Episode } from '../../state/clients-store.ts'
import { type ClientDetail, startEpisodeFor } from '../../state/clients-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'
import { useFormat } from '../shared/use-format.ts'
import { ReopenEpisodeDialog } from './EpisodeDialogs.tsx'

/** After the episode ended: the client may come back ("Nytt forløp"), or a mistaken ending is taken back. */
export function EpisodeClosed(props: {
  detail: ClientDetail
  episode: Episode
  onChanged: () => void
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [reopening, setReopening] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { episode } = props
  return (
    <section className="episode-closed no-print" aria-labelledby="closed-title">
      <h2 id="closed-title">
        {t('episode.closedNotice', {
          date: fmt.date(episode.endedAt ?? episode.updatedAt),
          ending: episode.ending ? t(`episode.endings.${episode.ending}`) : t('episode.noEnding'),
        })}
      </h2>
      <p className="hint">{t('episode.newEpisodeHelp')}</p>
      <div className="row">
        <button
          type="button"
          className="primary big"
          onClick={async () => {
            setError(null)
            try {
              await startEpisodeFor(props.detail.client.id)
              props.onChanged()
            } catch (err) {
              setError(storageErrorMessage(err, t))
            }
          }}
        >
          {t('episode.newEpisode')}
        </button>
        <button type="button" onClick={() => setReopening(true)}>
          {t('episode.reopenOpen')}
        </button>
      </div>
      <ErrorText message={error} />
      {reopening && (
        <ReopenEpisodeDialog
          detail={props.detail}
          onClose={(changed) => {
            setReopening(false)
            if (changed) props.onChanged()
          }}
        />
      )}
    </section>
  )
}
