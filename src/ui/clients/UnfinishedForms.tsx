import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'
import { getInstrument } from '../../core/index.ts'
import { useClientModeStore } from '../../state/client-mode-store.ts'
import type { Administration } from '../../state/clients-store.ts'
import { discardUnfinished } from '../../state/clients-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { ModalDialog } from '../shared/ModalDialog.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'
import { useFormat } from '../shared/use-format.ts'

/**
 * Forms the client left before "Ferdig": handed back to finish where they stopped (the marks are
 * kept), or discarded after a confirmation. The client list's "resume" step links here.
 */
export function UnfinishedForms(props: { drafts: Administration[]; onChanged: () => void }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const resume = useClientModeStore((s) => s.resume)
  const [, navigate] = useLocation()
  const [discarding, setDiscarding] = useState<Administration | null>(null)
  const [error, setError] = useState<string | null>(null)
  if (props.drafts.length === 0) return null
  return (
    <section id="unfinished" className="unfinished no-print" aria-labelledby="unfinished-title">
      <h2 id="unfinished-title">{t('drafts.title')}</h2>
      <p className="hint">{t('drafts.help')}</p>
      <ul>
        {props.drafts.map((d) => {
          const values = Object.values(d.items)
          return (
            <li key={d.id}>
              <span>
                {t('drafts.line', {
                  form: d.instrumentId,
                  time: fmt.dateTime(d.startedAt),
                  marked: values.filter((v) => v !== null).length,
                  total: getInstrument(d.instrumentId).items.length,
                })}
              </span>
              <span className="actions">
                <button
                  type="button"
                  className="primary"
                  onClick={async () => {
                    setError(null)
                    try {
                      await resume(d.id)
                      navigate('/client-mode')
                    } catch (err) {
                      setError(storageErrorMessage(err, t))
                    }
                  }}
                >
                  {t('drafts.resume')}
                </button>
                <button type="button" onClick={() => setDiscarding(d)}>
                  {t('drafts.discard')}
                </button>
              </span>
            </li>
          )
        })}
      </ul>
      <ErrorText message={error} />
      {discarding && (
        <ModalDialog onCancel={() => setDiscarding(null)}>
          {(titleId) => (
            <div>
              <h2 id={titleId}>{t('drafts.discardTitle', { form: discarding.instrumentId })}</h2>
              <p>{t('drafts.discardHelp')}</p>
              <div className="dialog-actions">
                <button type="button" onClick={() => setDiscarding(null)}>
                  {t('common.cancel')}
                </button>
                <button
                  type="button"
                  className="primary"
                  onClick={async () => {
                    try {
                      await discardUnfinished(discarding.id)
                      setDiscarding(null)
                      props.onChanged()
                    } catch (err) {
                      setDiscarding(null)
                      setError(storageErrorMessage(err, t))
                    }
                  }}
                >
                  {t('drafts.discardConfirm')}
                </button>
              </div>
            </div>
          )}
        </ModalDialog>
      )}
    </section>
  )
}
