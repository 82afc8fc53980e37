import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { STATUS_COLOURS, type StatusColour } from '../../core/index.ts'
import { useClientsStore } from '../../state/clients-store.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { useFormat } from '../shared/use-format.ts'
import { NewClientForm } from './NewClientForm.tsx'
import { StatusBadge } from './StatusBadge.tsx'

export function ClientsPage() {
  const { t } = useTranslation()
  const summaries = useClientsStore((s) => s.summaries)
  const loaded = useClientsStore((s) => s.loaded)
  const refresh = useClientsStore((s) => s.refresh)
  const fmt = useFormat()
  // Only a practitioner's records can be sent to the server: nobody else may start one that
  // would wait on the tablet for good. (Before anyone signs in, the clients wait for the first
  // sign-in that takes them over.)
  const person = useSyncStore((s) => s.person)
  const canCreate = !person || person.roles.includes('practitioner')
  const [query, setQuery] = useState('')
  const [colour, setColour] = useState<StatusColour | 'all' | 'closed'>('all')
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
        (colour === 'all' ||
          (colour === 'closed' ? s.closed : !s.closed && s.status.colour === colour)),
    )
  }, [listed, query, colour])

  return (
    <section className="panel" aria-labelledby="clients-title">
      <h1 id="clients-title">{t('clients.title')}</h1>
      {canCreate ? (
        <NewClientForm />
      ) : (
        <p className="notice" role="note">
          {t('clients.cannotCreate', { name: person?.displayName ?? '' })}
        </p>
      )}
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
            onChange={(e) => setColour(e.target.value as StatusColour | 'all' | 'closed')}
          >
            <option value="all">{t('clients.allStatuses')}</option>
            {STATUS_COLOURS.map((c) => (
              <option key={c} value={c}>
                {t(`status.colour.${c}`)}
              </option>
            ))}
            <option value="closed">{t('clients.closedFilter')}</option>
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
                    <StatusBadge status={s.status} closed={s.closed} />
                  </td>
                  <td>{s.lastMarkedAt ? fmt.date(s.lastMarkedAt) : '–'}</td>
                  <td>
                    {s.nextAction === 'resumeDraft' ? (
                      <Link href={`/clients/${s.client.id}#unfinished`}>
                        {t('nextAction.resumeDraft')}
                      </Link>
                    ) : (
                      t(`nextAction.${s.nextAction}`)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <p>{t('clients.noMatch')}</p>}
        </div>
      )}
    </section>
  )
}
