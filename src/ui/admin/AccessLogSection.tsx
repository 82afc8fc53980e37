import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type FoundClient, findClientsByCode } from '../../state/access-log.ts'
import { AccessLogView } from '../access-log/AccessLogView.tsx'
import { syncErrorText } from '../account/sync-words.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

/** The administrator finds a client by code (a client asked) and produces its innsynslogg. */
export function AccessLogSection() {
  const { t } = useTranslation()
  const [code, setCode] = useState('')
  const [found, setFound] = useState<FoundClient[] | null>(null)
  const [chosen, setChosen] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  const onFind = (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setChosen(null)
    if (code.trim() === '') return
    findClientsByCode(code.trim()).then(
      (clients) => {
        setFound(clients)
        // One match is the client asked about; several (a reused code) are chosen by practitioner.
        if (clients.length === 1) setChosen(clients[0]?.clientId ?? null)
      },
      (err: unknown) => setError(syncErrorText(err, t)),
    )
  }

  return (
    <>
      <h2 className="no-print">{t('accessLog.title')}</h2>
      <form className="row no-print" onSubmit={onFind} aria-label={t('accessLog.find')}>
        <label className="field">
          <span>{t('accessLog.code')}</span>
          <input value={code} autoComplete="off" onChange={(e) => setCode(e.target.value)} />
        </label>
        <button type="submit">{t('accessLog.find')}</button>
      </form>
      <ErrorText message={error} />
      {found?.length === 0 && <p role="status">{t('accessLog.none')}</p>}
      {found && found.length > 1 && (
        <ul className="no-print">
          {found.map((c) => (
            <li key={c.clientId}>
              {c.code} · {t('accessLog.practitioners', { names: c.practitioners.join(', ') })}{' '}
              <button type="button" onClick={() => setChosen(c.clientId)}>
                {t('accessLog.show')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && <AccessLogView clientId={chosen} />}
    </>
  )
}
