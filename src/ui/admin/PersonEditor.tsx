import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ROLES, type Role } from '../../core/sync-protocol.ts'
import {
  editPerson,
  type PersonView,
  resetTwoFactor,
  setSupervisors,
  type UnitView,
} from '../../state/admin-store.ts'
import { CheckboxGroup } from '../shared/controls.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'

/** Changes a person's name, roles, units and supervisors (saves only what changed); resets their two-factor. */
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
      <CheckboxGroup
        legend={t('admin.roles')}
        options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        chosen={roles}
        onChange={setRoles}
      />
      <CheckboxGroup
        legend={t('admin.units')}
        options={shownUnits.map((u) => ({ value: u.id, label: u.name }))}
        chosen={unitIds}
        onChange={setUnitIds}
        empty={t('admin.noUnits')}
      />
      <CheckboxGroup
        legend={t('admin.supervisors')}
        options={supervisors.map((p) => ({ value: p.id, label: p.displayName }))}
        chosen={supervisorIds}
        onChange={setSupervisorIds}
        empty={t('admin.noSupervisors')}
      />
      <p>
        {t('admin.twoFactor')}:{' '}
        {person.twoFactor ? t('admin.twoFactorOn') : t('admin.twoFactorOff')}{' '}
        {person.twoFactor && (
          <button type="button" onClick={() => void act(() => resetTwoFactor(person.id))}>
            {t('admin.resetTwoFactor')}
          </button>
        )}
      </p>
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
