import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isValidPin, setPin } from '../../state/device-pin.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

export function SetPinForm({ intro, onDone }: { intro?: string; onDone: () => void }) {
  const { t } = useTranslation()
  const [pin, setPinValue] = useState('')
  const [repeat, setRepeat] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setSaved(false)
    if (!isValidPin(pin)) return setError(t('pin.invalid'))
    if (pin !== repeat) return setError(t('pin.mismatch'))
    setError(null)
    await setPin(pin)
    setPinValue('')
    setRepeat('')
    setSaved(true)
    onDone()
  }

  return (
    <form className="inline-form" onSubmit={onSubmit} aria-labelledby="set-pin-title">
      <h3 id="set-pin-title">{t('pin.setTitle')}</h3>
      {intro && <p>{intro}</p>}
      <label className="field">
        <span>{t('pin.new')}</span>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          value={pin}
          onChange={(e) => setPinValue(e.target.value.replace(/\D/g, ''))}
          maxLength={8}
        />
      </label>
      <label className="field">
        <span>{t('pin.repeat')}</span>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value.replace(/\D/g, ''))}
          maxLength={8}
        />
      </label>
      <button type="submit" className="primary">
        {t('pin.save')}
      </button>
      <ErrorText message={error} />
      {saved && <p role="status">{t('pin.saved')}</p>}
    </form>
  )
}
