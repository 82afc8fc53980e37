import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ROLES, type Role } from '../../core/sync-protocol.ts'
import {
  addPerson,
  deactivatePerson,
  handOverClients,
  reactivatePerson,
  resetPassword,
  revokeDevice,
  useAdminStore,
} from '../../state/admin-store.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { CheckboxGroup, ConfirmButton } from '../shared/controls.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'
import { AuditLog } from './AuditLog.tsx'
import { OrgSettings } from './OrgSettings.tsx'
import { PersonEditor } from './PersonEditor.tsx'
import { TextPacks } from './TextPacks.tsx'
import { Units } from './Units.tsx'

/**
 * People, units, devices, settings, text packs and the audit log for the administrator
 * (utviklingsleder). Needs a connection; offline it shows the last copy with its date.
 */
export function AdminPage() {
  const { t } = useTranslation()
  const person = useSyncStore((s) => s.person)
  const { people, units, devices, audit, fetchedAt, fromCopy, refresh } = useAdminStore()
  const [editingId, setEditingId] = useState<string | null>(null)
  const fmt = useFormat()
  const [loadError, setLoadError] = useState<string | null>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const [form, setForm] = useState({
    username: '',
    displayName: '',
    password: '',
    roles: ['practitioner'] as Role[],
    unitIds: [] as string[],
    supervisorId: '',
  })

  const isAdmin = person?.roles.includes('admin') === true
  useEffect(() => {
    if (!isAdmin) return
    refresh().then(
      () => setLoadError(null),
      (err: unknown) => setLoadError(syncErrorText(err, t)),
    )
  }, [isAdmin, refresh, t])

  if (!isAdmin) {
    return (
      <section className="panel">
        <h1>{t('admin.title')}</h1>
        <p>{t('admin.notAllowed')}</p>
      </section>
    )
  }

  /** Runs a change on the server; its failure is shown in words. true when it went through. */
  const act = async (run: () => Promise<void>): Promise<boolean> => {
    setFormError(null)
    try {
      await run()
      return true
    } catch (err) {
      setFormError(syncErrorText(err, t))
      return false
    }
  }

  const onAdd = (e: FormEvent) => {
    e.preventDefault()
    if (form.password.length < 10) return setFormError(t('admin.passwordShort'))
    if (form.roles.length === 0) return setFormError(t('admin.roleNeeded'))
    void act(async () => {
      const { supervisorId, ...rest } = form
      await addPerson(supervisorId ? { ...rest, supervisorId } : rest)
      setForm({
        username: '',
        displayName: '',
        password: '',
        roles: ['practitioner'],
        unitIds: [],
        supervisorId: '',
      })
    })
  }

  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.displayName ?? '–'

  return (
    <section className="panel" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('admin.title')}</h1>
      <ErrorText message={loadError} />
      {fetchedAt &&
        (fromCopy ? (
          <p className="notice" role="status">
            {t('copy.offline', { time: fmt.dateTime(fetchedAt) })}
          </p>
        ) : (
          <p className="muted">{t('admin.fetchedAt', { time: fmt.dateTime(fetchedAt) })}</p>
        ))}
      <ErrorText message={formError} />

      <h2 id="people-title">{t('admin.people')}</h2>
      <div className="table-wrap">
        <table className="history" aria-labelledby="people-title">
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
            {people.map((p) => (
              <tr key={p.id} className={p.active ? '' : 'is-inactive'}>
                <td>{p.displayName}</td>
                <td>{p.username}</td>
                <td>
                  {p.roles.map((r) => t(`role.${r}`)).join(', ')}
                  {p.unitIds.length > 0 && (
                    <span className="muted small">
                      {' · '}
                      {p.unitIds
                        .map((id) => units.find((u) => u.id === id)?.name ?? '–')
                        .join(', ')}
                    </span>
                  )}
                </td>
                <td>{p.active ? t('admin.active') : t('admin.inactive')}</td>
                <td className="actions">
                  <button
                    type="button"
                    aria-label={t('admin.editPerson', { name: p.displayName })}
                    onClick={() => setEditingId(p.id)}
                  >
                    {t('admin.edit')}
                  </button>
                  {p.active && p.id !== person?.id && (
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
                    onClick={() => {
                      const next = window.prompt(t('admin.newPasswordFor', { name: p.displayName }))
                      if (next === null) return
                      if (next.length < 10) return setFormError(t('admin.passwordShort'))
                      void act(() => resetPassword(p.id, next))
                    }}
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
                      {people
                        .filter((x) => x.active && x.roles.includes('practitioner'))
                        .map((x) => (
                          <option key={x.id} value={x.id}>
                            {x.displayName}
                          </option>
                        ))}
                    </select>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {editingId &&
        people
          .filter((p) => p.id === editingId)
          .map((p) => (
            <PersonEditor
              key={p.id}
              person={p}
              people={people}
              units={units}
              isSelf={p.id === person?.id}
              act={act}
              onDone={() => setEditingId(null)}
            />
          ))}

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
        {people.some((p) => p.active && p.roles.includes('supervisor')) && (
          <label className="field">
            <span>{t('admin.supervisor')}</span>
            <select
              value={form.supervisorId}
              onChange={(e) => setForm({ ...form, supervisorId: e.target.value })}
            >
              <option value="">{t('admin.noSupervisor')}</option>
              {people
                .filter((p) => p.active && p.roles.includes('supervisor'))
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.displayName}
                  </option>
                ))}
            </select>
          </label>
        )}
        <button type="submit" className="primary">
          {t('admin.add')}
        </button>
      </form>

      <Units units={units} act={act} />

      <h2 id="devices-title">{t('admin.devices')}</h2>
      <div className="table-wrap">
        <table className="history" aria-labelledby="devices-title">
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.device')}</th>
              <th scope="col">{t('admin.lastContact')}</th>
              <th scope="col">{t('admin.appVersion')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('history.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id} className={d.revokedAt ? 'is-inactive' : ''}>
                <td>{nameOf(d.personId)}</td>
                <td>{d.deviceName}</td>
                <td>{fmt.dateTime(d.lastContactAt)}</td>
                <td>{d.appVersion ?? '–'}</td>
                <td>{d.revokedAt ? t('admin.revoked') : t('admin.active')}</td>
                <td className="actions">
                  {!d.revokedAt && (
                    <ConfirmButton
                      label={t('admin.revoke')}
                      question={t('admin.confirmRevoke', { device: d.deviceName })}
                      onConfirm={() => void act(() => revokeDevice(d.id))}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <OrgSettings />
      <TextPacks />

      <AuditLog latest={audit} people={people} units={units} />
    </section>
  )
}
