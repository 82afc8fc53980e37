import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ROLES, type Role } from '../../core/sync-protocol.ts'
import {
  editPerson,
  type PersonView,
  setSupervisors,
  type UnitView,
} from '../../state/admin-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

const toggle = <T,>(list: T[], item: T, on: boolean): T[] =>
  on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item)

/** Changes a person's name, roles, units and supervisors; saves only what changed. */
export function PersonEditor({
  person,
  people,
  units,
  isSelf,
  act,
  onDone,
}: {
  person: PersonView
  people: PersonView[]
  units: UnitView[]
  isSelf: boolean
  act: (run: () => Promise<void>) => Promise<boolean>
  onDone: () => void
}) {
  const { t } = useTranslation()
  const [displayName, setDisplayName] = useState(person.displayName)
  const [roles, setRoles] = useState<Role[]>(person.roles)
  const [unitIds, setUnitIds] = useState<string[]>(person.unitIds)
  const [supervisorIds, setSupervisorIds] = useState<string[]>(person.supervisorIds)
  const [error, setError] = useState<string | null>(null)
  const supervisors = people.filter(
    (p) => p.id !== person.id && (p.roles.includes('supervisor') || supervisorIds.includes(p.id)),
  )
  const shownUnits = units.filter((u) => !u.retired || unitIds.includes(u.id))
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x))

  const onSave = (e: FormEvent) => {
    e.preventDefault()
    if (displayName.trim() === '') return setError(t('admin.nameNeeded'))
    if (roles.length === 0) return setError(t('admin.roleNeeded'))
    if (isSelf && !roles.includes('admin')) return setError(t('admin.cannotDemoteSelf'))
    setError(null)
    const change: { displayName?: string; roles?: Role[]; unitIds?: string[] } = {}
    if (displayName.trim() !== person.displayName) change.displayName = displayName.trim()
    if (!same(roles, person.roles)) change.roles = roles
    if (!same(unitIds, person.unitIds)) change.unitIds = unitIds
    void act(async () => {
      if (Object.keys(change).length > 0) await editPerson(person.id, change)
      if (!same(supervisorIds, person.supervisorIds)) await setSupervisors(person, supervisorIds)
    }).then((ok) => ok && onDone())
  }

  return (
    <form
      className="inline-form person-editor"
      onSubmit={onSave}
      aria-labelledby="edit-person-title"
    >
      <h3 id="edit-person-title">{t('admin.editPerson', { name: person.displayName })}</h3>
      <label className="field">
        <span>{t('admin.name')}</span>
        <input
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          maxLength={100}
        />
      </label>
      <fieldset className="choice-row">
        <legend>{t('admin.roles')}</legend>
        {ROLES.map((r) => (
          <label key={r} className="choice">
            <input
              type="checkbox"
              checked={roles.includes(r)}
              onChange={(e) => setRoles(toggle(roles, r, e.target.checked))}
            />
            <span>{t(`role.${r}`)}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choice-row">
        <legend>{t('admin.units')}</legend>
        {shownUnits.length === 0 && <p className="muted">{t('admin.noUnits')}</p>}
        {shownUnits.map((u) => (
          <label key={u.id} className="choice">
            <input
              type="checkbox"
              checked={unitIds.includes(u.id)}
              onChange={(e) => setUnitIds(toggle(unitIds, u.id, e.target.checked))}
            />
            <span>{u.name}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choice-row">
        <legend>{t('admin.supervisors')}</legend>
        {supervisors.length === 0 && <p className="muted">{t('admin.noSupervisors')}</p>}
        {supervisors.map((p) => (
          <label key={p.id} className="choice">
            <input
              type="checkbox"
              checked={supervisorIds.includes(p.id)}
              onChange={(e) => setSupervisorIds(toggle(supervisorIds, p.id, e.target.checked))}
            />
            <span>{p.displayName}</span>
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button type="submit" className="primary">
          {t('admin.save')}
        </button>
        <button type="button" onClick={onDone}>
          {t('admin.cancel')}
        </button>
      </div>
      <ErrorText message={error} />
    </form>
  )
}
