import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ROLES, type Role } from '../../core/sync-protocol.ts'
import { addPerson, type PersonView, type UnitView } from '../../state/admin-store.ts'
import { CheckboxGroup } from '../shared/controls.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'

const EMPTY = {
  username: '',
  displayName: '',
  password: '',
  roles: ['practitioner'] as Role[],
  unitIds: [] as string[],
  supervisorId: '',
}

/** A new member of staff with a first password, roles, units and (optionally) a supervisor. */
export function AddPersonForm({
  people,
  units,
  act,
}: {
  people: PersonView[]
  units: UnitView[]
  act: (run: () => Promise<void>) => Promise<boolean>
}) {
  const { t } = useTranslation()
  const [form, setForm] = useState(EMPTY)
  const [error, setError] = useState<string | null>(null)
  const supervisors = people.filter((p) => p.active && p.roles.includes('supervisor'))

  const onAdd = (e: FormEvent) => {
    e.preventDefault()
    if (form.password.length < 10) return setError(t('admin.passwordShort'))
    if (form.roles.length === 0) return setError(t('admin.roleNeeded'))
    setError(null)
    const { supervisorId, ...rest } = form
    void act(() => addPerson(supervisorId ? { ...rest, supervisorId } : rest)).then(
      (ok) => ok && setForm(EMPTY),
    )
  }

  return (
    <form className="inline-form" onSubmit={onAdd} aria-labelledby="add-person-title">
      <h3 id="add-person-title">{t('admin.addPerson')}</h3>
      <label className="field">
        <span>{t('admin.name')}</span>
        <input
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
          required
        />
      </label>
      <label className="field">
        <span>{t('account.username')}</span>
        <input
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          autoComplete="off"
          required
        />
      </label>
      <label className="field">
        <span>{t('admin.firstPassword')}</span>
        <input
          type="password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          autoComplete="new-password"
          required
        />
      </label>
      <CheckboxGroup
        legend={t('admin.roles')}
        options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        chosen={form.roles}
        onChange={(roles) => setForm({ ...form, roles })}
      />
      {units.some((u) => !u.retired) && (
        <CheckboxGroup
          legend={t('admin.units')}
          options={units.filter((u) => !u.retired).map((u) => ({ value: u.id, label: u.name }))}
          chosen={form.unitIds}
          onChange={(unitIds) => setForm({ ...form, unitIds })}
        />
      )}
      {supervisors.length > 0 && (
        <label className="field">
          <span>{t('admin.supervisor')}</span>
          <select
            value={form.supervisorId}
            onChange={(e) => setForm({ ...form, supervisorId: e.target.value })}
          >
            <option value="">{t('admin.noSupervisor')}</option>
            {supervisors.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
      )}
      <ErrorText message={error} />
      <button type="submit" className="primary">
        {t('admin.add')}
      </button>
    </form>
  )
}
