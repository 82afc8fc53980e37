import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { refreshDeviceName, renameThisTablet } from '../../state/device-name.ts'

/** The tablet's name, as Administrasjon lists it: changed here by whoever uses the tablet. */
export function TabletNameSection() {
  const { t } = useTranslation()
  const [name, setName] = useState('')
  const [saved, setSaved] = useState<'everywhere' | 'here' | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    let live = true
    void refreshDeviceName().then((n) => live && n !== null && setName(n))
    return () => {
      live = false
    }
  }, [])
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (name.trim() === '') return
    setBusy(true)
    setSaved(await renameThisTablet(name))
    setBusy(false)
  }
  return (
    <section aria-labelledby="tablet-name-title">
      <h2 id="tablet-name-title">{t('settings.tabletTitle')}</h2>
      <form className="inline-form" onSubmit={onSubmit}>
        <label className="field">
          <span>{t('account.deviceName')}</span>
          <input
            value={name}
            onChange={(e) => {
              setName(e.target.value)
              setSaved(null)
            }}
            maxLength={60}
            required
          />
        </label>
        <button type="submit" disabled={busy}>
          {t('settings.tabletSave')}
        </button>
      </form>
      {saved && (
        <p role="status">
          {saved === 'everywhere' ? t('settings.tabletSaved') : t('settings.tabletSavedHere')}
        </p>
      )}
    </section>
  )
}
