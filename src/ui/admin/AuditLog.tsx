import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { AUDIT_ACTIONS } from '../../core/sync-protocol.ts'
import {
  type AuditFilter,
  type AuditView,
  type PersonView,
  searchAudit,
  type UnitView,
} from '../../state/admin-store.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { ScrollRegion } from '../shared/ScrollRegion.tsx'
import { useFormat } from '../shared/use-format.ts'

/** The audit log, newest first, searchable by person (who acted or was acted on), action and dates. */
export function AuditLog({
  latest,
  people,
  units,
}: {
  latest: AuditView[]
  people: PersonView[]
  units: UnitView[]
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [filter, setFilter] = useState<AuditFilter>({})
  const [found, setFound] = useState<AuditView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const entries = found ?? latest
  const nameOrNull = (id: string | null) =>
    id === null
      ? null
      : (people.find((p) => p.id === id)?.displayName ??
        units.find((u) => u.id === id)?.name ??
        null)
  const nameOf = (id: string | null) => nameOrNull(id) ?? '–'

  const onSearch = (e: FormEvent) => {
    e.preventDefault()
    if (filter.from && filter.to && filter.from > filter.to) {
      return setError(t('admin.auditDatesOrder'))
    }
    setError(null)
    searchAudit(filter).then(setFound, (err: unknown) => setError(syncErrorText(err, t)))
  }

  return (
    <>
      <h2 id="audit-title">{t('admin.audit')}</h2>
      <form className="row audit-search" onSubmit={onSearch} aria-label={t('admin.auditSearch')}>
        <label className="field">
          <span>{t('admin.auditPerson')}</span>
          <select
            value={filter.personId ?? ''}
            onChange={(e) => setFilter({ ...filter, personId: e.target.value || undefined })}
          >
            <option value="">{t('admin.auditAny')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('admin.auditAction')}</span>
          <select
            value={filter.action ?? ''}
            onChange={(e) => setFilter({ ...filter, action: e.target.value || undefined })}
          >
            <option value="">{t('admin.auditAny')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`auditAction.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('supervision.from')}</span>
          <input
            type="date"
            value={filter.from ?? ''}
            onChange={(e) => setFilter({ ...filter, from: e.target.value || undefined })}
          />
        </label>
        <label className="field">
          <span>{t('supervision.to')}</span>
          <input
            type="date"
            value={filter.to ?? ''}
            onChange={(e) => setFilter({ ...filter, to: e.target.value || undefined })}
          />
        </label>
        <button type="submit">{t('admin.auditSearchButton')}</button>
        {found && (
          <button
            type="button"
            onClick={() => {
              setFound(null)
              setFilter({})
            }}
          >
            {t('admin.auditShowLatest')}
          </button>
        )}
      </form>
      <ErrorText message={error} />
      <p className="muted" role="status">
        {found ? t('admin.auditFound', { count: found.length }) : t('admin.auditLatest')}
      </p>
      <ScrollRegion label={t('admin.audit')}>
        <table className="history audit">
          <thead>
            <tr>
              <th scope="col">{t('admin.auditTime')}</th>
              <th scope="col">{t('admin.auditAction')}</th>
              <th scope="col">{t('admin.auditActor')}</th>
              <th scope="col">{t('admin.auditTarget')}</th>
              <th scope="col">{t('admin.auditAddress')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((a) => (
              <tr key={a.id}>
                <td>{fmt.dateTime(a.at)}</td>
                <td>
                  {(AUDIT_ACTIONS as readonly string[]).includes(a.action)
                    ? t(`auditAction.${a.action}`)
                    : a.action}
                </td>
                <td>{nameOf(a.actorId)}</td>
                {/* A failed sign-in names a person when the username exists, else the username as typed. */}
                <td>
                  {a.action === 'login_failed'
                    ? (nameOrNull(a.target) ?? a.target)
                    : nameOf(a.target)}
                </td>
                <td>{a.ip ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  )
}
