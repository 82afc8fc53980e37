import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  refreshTablets,
  renameTablet,
  revokeTablet,
  type TabletView,
  useTabletsStore,
} from '../../state/tablets-store.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { ConfirmButton } from '../shared/controls.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'

/** Tablets, one row each: its name (renamable), who is signed in, app version, last contact. */
export function TabletsTable() {
  const { t } = useTranslation()
  const tablets = useTabletsStore((s) => s.tablets)
  const fmt = useFormat()
  const [error, setError] = useState<string | null>(null)
  const [renaming, setRenaming] = useState<string | null>(null)
  const act = async (run: () => Promise<void>) => {
    setError(null)
    try {
      await run()
    } catch (err) {
      setError(syncErrorText(err, t))
    }
  }
  useEffect(() => {
    refreshTablets().catch((err: unknown) => setError(syncErrorText(err, t)))
  }, [t])

  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title">{t('admin.devices')}</h2>
      <p className="hint">{t('admin.tabletsHelp')}</p>
      <ErrorText message={error} />
      <div className="table-wrap">
        <table className="history tablets" aria-labelledby="devices-title">
          <thead>
            <tr>
              <th scope="col">{t('admin.device')}</th>
              <th scope="col">{t('admin.signedInOn')}</th>
              <th scope="col">{t('admin.lastContact')}</th>
              <th scope="col">{t('admin.appVersion')}</th>
              <th scope="col">{t('history.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {tablets.map((d) => (
              <tr key={d.id} className={d.active ? '' : 'is-inactive'}>
                <td>
                  {renaming === d.id ? (
                    <RenameForm
                      tablet={d}
                      onDone={(name) =>
                        void act(async () => {
                          if (name !== null) await renameTablet(d.id, name)
                          setRenaming(null)
                        })
                      }
                    />
                  ) : (
                    d.name
                  )}
                </td>
                <td>{d.active ? d.people.join(', ') : t('admin.revoked')}</td>
                <td>{fmt.dateTime(d.lastContactAt)}</td>
                <td>{d.appVersion || t('admin.unknownVersion')}</td>
                <td className="actions">
                  {renaming !== d.id && (
                    <button
                      type="button"
                      aria-label={t('admin.renameTabletNamed', { device: d.name })}
                      onClick={() => setRenaming(d.id)}
                    >
                      {t('admin.renameTablet')}
                    </button>
                  )}
                  {d.active && (
                    <ConfirmButton
                      label={t('admin.revoke')}
                      question={t('admin.confirmRevoke', { device: d.name })}
                      onConfirm={() => void act(() => revokeTablet(d.id))}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function RenameForm({
  tablet,
  onDone,
}: {
  tablet: TabletView
  onDone: (name: string | null) => void
}) {
  const { t } = useTranslation()
  const [name, setName] = useState(tablet.name)
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (name.trim() !== '') onDone(name)
  }
  return (
    <form className="row" onSubmit={onSubmit}>
      <label className="field">
        <span>{t('account.deviceName')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} required />
      </label>
      <button type="submit" className="primary">
        {t('common.save')}
      </button>
      <button type="button" onClick={() => onDone(null)}>
        {t('common.cancel')}
      </button>
    </form>
  )
}
