import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ENDINGS, type Ending } from '../../core/index.ts'
import {
  type ClientDetail,
  endCurrentEpisode,
  reopenCurrentEpisode,
} from '../../state/clients-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { ModalDialog } from '../shared/ModalDialog.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'

/** Ending is deliberate: the practitioner says how it ended (the reports use it) and confirms. */
export function EndEpisodeDialog(props: {
  detail: ClientDetail
  hasDrafts: boolean
  onClose: (changed: boolean) => void
}) {
  const { t } = useTranslation()
  const [ending, setEnding] = useState<Ending | null>(null)
  const [error, setError] = useState<string | null>(null)
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (ending === null) return setError(t('episode.chooseEnding'))
    try {
      await endCurrentEpisode(props.detail, ending)
      props.onClose(true)
    } catch (err) {
      setError(storageErrorMessage(err, t))
    }
  }
  return (
    <ModalDialog onCancel={() => props.onClose(false)}>
      {(titleId) => (
        <form onSubmit={onSubmit} noValidate>
          <h2 id={titleId}>{t('episode.endTitle')}</h2>
          <p className="hint">{t('episode.endHelp')}</p>
          <fieldset
            className="choice-column"
            aria-invalid={error !== null && ending === null}
            aria-describedby={error ? 'end-error' : undefined}
          >
            <legend>{t('episode.ending')}</legend>
            {ENDINGS.map((k) => (
              <label key={k} className="choice">
                <input
                  type="radio"
                  name="ending"
                  value={k}
                  checked={ending === k}
                  onChange={() => setEnding(k)}
                />
                <span>{t(`episode.endings.${k}`)}</span>
              </label>
            ))}
          </fieldset>
          {props.hasDrafts && <p className="notice">{t('episode.endDrafts')}</p>}
          <ErrorText message={error} id="end-error" />
          <div className="dialog-actions">
            <button type="button" onClick={() => props.onClose(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary">
              {t('episode.endTitle')}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  )
}

/** Takes back an ending made by mistake; the reason stays in the episode's history. */
export function ReopenEpisodeDialog(props: {
  detail: ClientDetail
  onClose: (changed: boolean) => void
}) {
  const { t } = useTranslation()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (reason.trim() === '') return setError(t('record.reasonNeeded'))
    try {
      await reopenCurrentEpisode(props.detail, reason)
      props.onClose(true)
    } catch (err) {
      setError(storageErrorMessage(err, t))
    }
  }
  return (
    <ModalDialog onCancel={() => props.onClose(false)}>
      {(titleId) => (
        <form onSubmit={onSubmit} noValidate>
          <h2 id={titleId}>{t('episode.reopenTitle')}</h2>
          <p className="hint" id="reopen-help">
            {t('episode.reopenHelp')}
          </p>
          <label className="field wide">
            <span>{t('record.reason')}</span>
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              aria-invalid={error !== null}
              aria-describedby={error ? 'reopen-help reopen-error' : 'reopen-help'}
            />
          </label>
          <ErrorText message={error} id="reopen-error" />
          <div className="dialog-actions">
            <button type="button" onClick={() => props.onClose(false)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary">
              {t('episode.reopen')}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  )
}
