import { type FormEvent, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { STATUS_COLOURS, type StatusColour } from '../../core/index.ts'
import { useClientsStore } from '../../state/clients-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'
import { useFormat } from '../shared/use-format.ts'
import { StatusBadge } from './StatusBadge.tsx'

export function ClientsPage() {
  const { t } = useTranslation()
  const summaries = useClientsStore((s) => s.summaries)
  const loaded = useClientsStore((s) => s.loaded)
  const refresh = useClientsStore((s) => s.refresh)
  const create = useClientsStore((s) => s.create)
  const fmt = useFormat()
  const [, navigate] = useLocation()
  const [code, setCode] = useState('')
  const [birthYear, setBirthYear] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [query, setQuery] = useState('')
  const [colour, setColour] = useState<StatusColour | 'all'>('all')
  // A supervisor's device also holds supervisees' clients (read only): listed apart from one's own.
  const [whose, setWhose] = useState<'own' | 'supervisees'>('own')
  const hasSupervisees = summaries.some((s) => s.client.readOnly === true)
  const listed = useMemo(
    () => summaries.filter((s) => (s.client.readOnly === true) === (whose === 'supervisees')),
    [summaries, whose],
  )

  useEffect(() => {
    void refresh()
  }, [refresh])

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase()
    return listed.filter(
      (s) =>
        (q === '' || s.client.code.toLowerCase().includes(q)) &&
        (colour === 'all' || s.status.colour === colour),
    )
  }, [listed, query, colour])

  const onCreate = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    const year = birthYear.trim() === '' ? null : Number(birthYear)
    const thisYear = new Date().getFullYear()
    if (year !== null && (!Number.isInteger(year) || year < thisYear - 120 || year > thisYear)) {
      setError(t('clients.badBirthYear'))
      return
    }
    try {
      const client = await create({ code, birthYear: year })
      setCode('')
      setBirthYear('')
      navigate(`/clients/${client.id}`)
    } catch (err) {
      setError(storageErrorMessage(err, t))
    }
  }

  return (
    <section className="panel" aria-labelledby="clients-title">
      <h1 id="clients-title">{t('clients.title')}</h1>
      <div className="row list-tools">
        <label className="field">
          <span>{t('clients.search')}</span>
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            autoComplete="off"
          />
        </label>
        <label className="field">
          <span>{t('clients.filterStatus')}</span>
          <select
            value={colour}
            onChange={(e) => setColour(e.target.value as StatusColour | 'all')}
          >
            <option value="all">{t('clients.allStatuses')}</option>
            {STATUS_COLOURS.map((c) => (
              <option key={c} value={c}>
                {t(`status.colour.${c}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {hasSupervisees && (
        <fieldset className="choice-row">
          <legend>{t('clients.whose')}</legend>
          {(['own', 'supervisees'] as const).map((w) => (
            <label key={w} className="choice">
              <input
                type="radio"
                name="whose"
                value={w}
                checked={whose === w}
                onChange={() => setWhose(w)}
              />
              <span>{t(`clients.whoseChoice.${w}`)}</span>
            </label>
          ))}
        </fieldset>
      )}
      {loaded && listed.length === 0 ? (
        <p>{hasSupervisees ? t('clients.noneOwn') : t('clients.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="client-table">
            <caption className="sr-only">
              {t('clients.caption', { shown: shown.length, total: listed.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('clients.code')}</th>
                <th scope="col">{t('status.title')}</th>
                <th scope="col">{t('clients.lastSession')}</th>
                <th scope="col">{t('clients.nextAction')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.client.id}>
                  <th scope="row">
                    <Link href={`/clients/${s.client.id}`}>{s.client.code}</Link>
                    <span className="muted small"> {t(`ageGroup.${s.client.ageGroup}`)}</span>
                  </th>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{s.lastMarkedAt ? fmt.date(s.lastMarkedAt) : '–'}</td>
                  <td>{t(`nextAction.${s.nextAction}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <p>{t('clients.noMatch')}</p>}
        </div>
      )}
      <form className="inline-form" onSubmit={onCreate} aria-labelledby="new-client-title">
        <h2 id="new-client-title">{t('clients.new')}</h2>
        <label className="field">
          <span>{t('clients.code')}</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            aria-describedby="code-help"
            required
            maxLength={32}
          />
        </label>
        <label className="field">
          <span>{t('clients.birthYear')}</span>
          <input
            value={birthYear}
            onChange={(e) => setBirthYear(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            placeholder="2010"
          />
        </label>
        <button type="submit" className="primary">
          {t('clients.create')}
        </button>
        <p id="code-help" className="hint">
          {t('clients.codeHelp')}
        </p>
        <ErrorText message={error} />
      </form>
    </section>
  )
}
