import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ROLES, type Role } from '../../core/sync-protocol.ts'
import type { UnitView } from '../../state/admin-store.ts'
import {
  type GroupMapping,
  type IdentitySettings,
  loadDirectoryAccess,
  mapGroup,
  unmapGroup,
} from '../../state/directory-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

/**
 * Sign-in with the municipality's account: its settings (from the server's environment, read
 * only) and which provider groups give which role and unit.
 */
export function DirectoryAccess({
  units,
  act,
}: {
  units: UnitView[]
  act: (run: () => Promise<void>) => Promise<boolean>
}) {
  const { t } = useTranslation()
  const [settings, setSettings] = useState<IdentitySettings | null>(null)
  const [mappings, setMappings] = useState<GroupMapping[]>([])
  const [groupId, setGroupId] = useState('')
  const [role, setRole] = useState<Role>('practitioner')
  const [unitId, setUnitId] = useState('')
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(async () => {
    const got = await loadDirectoryAccess()
    setSettings(got.settings)
    setMappings(got.mappings)
  }, [])
  useEffect(() => {
    void act(reload)
  }, [act, reload])
  const unitName = (id: string | null) =>
    id === null ? t('directory.noUnit') : (units.find((u) => u.id === id)?.name ?? id)

  const onAdd = (e: FormEvent) => {
    e.preventDefault()
    if (groupId.trim() === '') return setError(t('directory.groupIdNeeded'))
    setError(null)
    void act(async () => {
      await mapGroup({ groupId: groupId.trim(), role, unitId: unitId === '' ? null : unitId })
      await reload()
    }).then((ok) => ok && setGroupId(''))
  }

  const oidc = settings?.oidc
  return (
    <>
      <h2 id="directory-title">{t('directory.title')}</h2>
      <p>{t('directory.intro')}</p>
      <h3>{t('directory.settingsTitle')}</h3>
      {settings &&
        (oidc ? (
          <dl className="sync-facts identity-facts">
            <dt>{t('directory.issuer')}</dt>
            <dd>{oidc.issuer}</dd>
            <dt>{t('directory.clientId')}</dt>
            <dd>{oidc.clientId}</dd>
            <dt>{t('directory.redirectUri')}</dt>
            <dd>{oidc.redirectUri}</dd>
            <dt>{t('directory.groupsClaim')}</dt>
            <dd>{oidc.groupsClaim}</dd>
          </dl>
        ) : (
          <p className="notice">{t('directory.notConfigured')}</p>
        ))}
      <h3 id="mappings-title">{t('directory.mappingsTitle')}</h3>
      {mappings.length === 0 ? (
        <p className="muted">{t('directory.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="history" aria-labelledby="mappings-title">
            <thead>
              <tr>
                <th scope="col">{t('directory.groupId')}</th>
                <th scope="col">{t('directory.role')}</th>
                <th scope="col">{t('directory.unit')}</th>
                <th scope="col">{t('history.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {mappings.map((m) => (
                <tr key={m.id}>
                  <td className="group-id">{m.groupId}</td>
                  <td>{t(`role.${m.role}`)}</td>
                  <td>{unitName(m.unitId)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() =>
                        void act(async () => {
                          await unmapGroup(m.id)
                          await reload()
                        })
                      }
                    >
                      {t('directory.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="login-form directory-add" onSubmit={onAdd}>
        <label className="field">
          <span>{t('directory.groupId')}</span>
          <input value={groupId} onChange={(e) => setGroupId(e.target.value)} maxLength={200} />
        </label>
        <div className="field">
          <label htmlFor="directory-role">{t('directory.role')}</label>
          <select
            id="directory-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="directory-unit">{t('directory.unit')}</label>
          <select id="directory-unit" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            <option value="">{t('directory.noUnit')}</option>
            {units
              .filter((u) => !u.retired)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        </div>
        <button type="submit" className="primary">
          {t('directory.add')}
        </button>
        <ErrorText message={error} />
      </form>
    </>
  )
}
