import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { addUnit, renameUnit, retireUnit, type UnitView } from '../../state/admin-store.ts'
import { ConfirmButton } from '../shared/controls.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'

/** Units of the organisation: add, rename, retire (a retired unit keeps its history in reports). */
export function Units({
  units,
  act,
}: {
  units: UnitView[]
  act: (run: () => Promise<void>) => Promise<boolean>
}) {
  const { t } = useTranslation()
  const [name, setName] = useState('')
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null)
  const [error, setError] = useState<string | null>(null)

  const onAdd = (e: FormEvent) => {
    e.preventDefault()
    if (name.trim() === '') return setError(t('admin.unitNameNeeded'))
    setError(null)
    void act(() => addUnit(name.trim())).then((ok) => ok && setName(''))
  }
  const onRename = (e: FormEvent) => {
    e.preventDefault()
    if (!editing) return
    if (editing.name.trim() === '') return setError(t('admin.unitNameNeeded'))
    setError(null)
    void act(() => renameUnit(editing.id, editing.name.trim())).then((ok) => ok && setEditing(null))
  }

  return (
    <>
      <h2 id="units-title">{t('admin.units')}</h2>
      <div className="table-wrap">
        <table className="history" aria-labelledby="units-title">
          <thead>
            <tr>
              <th scope="col">{t('admin.unitName')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('history.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.id} className={u.retired ? 'is-inactive' : ''}>
                <td>
                  {editing?.id === u.id ? (
                    <form className="row" onSubmit={onRename}>
                      <label className="field">
                        <span className="sr-only">{t('admin.newUnitName', { name: u.name })}</span>
                        <input
                          value={editing.name}
                          onChange={(e) => setEditing({ id: u.id, name: e.target.value })}
                          maxLength={100}
                        />
                      </label>
                      <button type="submit">{t('admin.save')}</button>
                      <button type="button" onClick={() => setEditing(null)}>
                        {t('admin.cancel')}
                      </button>
                    </form>
                  ) : (
                    u.name
                  )}
                </td>
                <td>{u.retired ? t('admin.retired') : t('admin.active')}</td>
                <td className="actions">
                  {editing?.id !== u.id && (
                    <button
                      type="button"
                      aria-label={t('admin.renameUnit', { name: u.name })}
                      onClick={() => setEditing({ id: u.id, name: u.name })}
                    >
                      {t('admin.rename')}
                    </button>
                  )}
                  {!u.retired && (
                    <ConfirmButton
                      label={t('admin.retire')}
                      ariaLabel={t('admin.retireUnit', { name: u.name })}
                      question={t('admin.confirmRetire', { name: u.name })}
                      onConfirm={() => void act(() => retireUnit(u.id))}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="inline-form" onSubmit={onAdd} aria-labelledby="add-unit-title">
        <h3 id="add-unit-title">{t('admin.addUnit')}</h3>
        <label className="field">
          <span>{t('admin.unitName')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </label>
        <button type="submit">{t('admin.addUnit')}</button>
        <ErrorText message={error} />
      </form>
    </>
  )
}
