import { useTranslation } from 'react-i18next'
import {
  deactivatePerson,
  handOverClients,
  type PersonView,
  reactivatePerson,
  type UnitView,
} from '../../state/admin-store.ts'
import { orderStaff, standingOf } from '../../state/staff-order.ts'
import { ConfirmButton } from '../shared/controls.tsx'
import { useFormat } from '../shared/use-format.ts'

/**
 * Staff with roles, units and state (a leaver's end of access, since when someone has left);
 * people who have left come last. Each row's actions wrap inside the row on a tablet.
 */
export function PeopleTable({
  people,
  units,
  selfId,
  act,
  onEdit,
  onSetPassword,
}: {
  people: PersonView[]
  units: UnitView[]
  selfId: string | undefined
  act: (run: () => Promise<void>) => Promise<boolean>
  onEdit: (id: string) => void
  onSetPassword: (id: string) => void
}) {
  const { t } = useTranslation()
  const practitioners = people.filter((x) => x.active && x.roles.includes('practitioner'))
  return (
    <div className="table-wrap">
      <table className="history people" aria-labelledby="people-title">
        <thead>
          <tr>
            <th scope="col">{t('admin.name')}</th>
            <th scope="col">{t('account.username')}</th>
            <th scope="col">{t('admin.roles')}</th>
            <th scope="col">{t('admin.state')}</th>
            <th scope="col">{t('history.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {orderStaff(people).map((p) => (
            <tr key={p.id} className={ROW_CLASS[standingOf(p)]}>
              <td>{p.displayName}</td>
              <td>{p.username}</td>
              <td>
                {p.roles.map((r) => t(`role.${r}`)).join(', ')}
                {p.unitIds.length > 0 && (
                  <span className="muted small">
                    {' · '}
                    {p.unitIds.map((id) => units.find((u) => u.id === id)?.name ?? '–').join(', ')}
                  </span>
                )}
              </td>
              <td>
                <StaffState person={p} />
              </td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    aria-label={t('admin.editPerson', { name: p.displayName })}
                    onClick={() => onEdit(p.id)}
                  >
                    {t('admin.edit')}
                  </button>
                  {p.active && p.id !== selfId && (
                    <ConfirmButton
                      label={t('admin.deactivate')}
                      question={t('admin.confirmDeactivate', { name: p.displayName })}
                      onConfirm={() => void act(() => deactivatePerson(p.id))}
                    />
                  )}
                  {!p.active && (
                    <button type="button" onClick={() => void act(() => reactivatePerson(p.id))}>
                      {t('admin.reactivate')}
                    </button>
                  )}
                  <button
                    type="button"
                    aria-label={t('adminPassword.title', { name: p.displayName })}
                    onClick={() => onSetPassword(p.id)}
                  >
                    {t('admin.resetPassword')}
                  </button>
                  {!p.active && (
                    <select
                      aria-label={t('admin.handOverTo', { name: p.displayName })}
                      value=""
                      onChange={(e) => {
                        const to = e.target.value
                        if (to) void act(() => handOverClients(p.id, to))
                      }}
                    >
                      <option value="">{t('admin.handOver')}</option>
                      {practitioners.map((x) => (
                        <option key={x.id} value={x.id}>
                          {x.displayName}
                        </option>
                      ))}
                    </select>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Access ends at the midnight after the last day: the last day is the moment before it. */
const lastDayOf = (accessEndsAt: string) => new Date(Date.parse(accessEndsAt) - 1).toISOString()

const ROW_CLASS = { active: '', leaving: 'is-leaving', left: 'is-inactive' } as const

/** Active, leaving (with the moment access ends) or gone (since when, when known). */
function StaffState({ person }: { person: PersonView }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const standing = standingOf(person)
  if (standing === 'active') return <>{t('admin.active')}</>
  const word =
    standing === 'leaving'
      ? t('admin.leaving')
      : person.accessEndsAt
        ? t('admin.left')
        : t('admin.inactive')
  const when =
    standing === 'leaving'
      ? t('admin.lastDay', { date: fmt.date(lastDayOf(person.accessEndsAt ?? '')) })
      : person.deactivatedAt
        ? t('admin.since', { time: fmt.dateTime(person.deactivatedAt) })
        : null
  return (
    <>
      <strong className={standing === 'leaving' ? 'staff-leaving' : undefined}>{word}</strong>
      {when && (
        <>
          <br />
          <span className="muted small">{when}</span>
        </>
      )}
    </>
  )
}
