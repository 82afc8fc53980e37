import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { hasPin, isValidPin, setPin } from '../../state/device-pin.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { PinField } from '../shared/PinField.tsx'

/** Sets the PIN that wraps the practitioner's data key; changing it needs the current one. */
/** `level`: the heading's level where the form sits (1 when it is the whole screen). */
export function SetPinForm({
  intro,
  onDone,
  level = 3,
}: {
  intro?: string
  onDone: () => void
  level?: 1 | 2 | 3
}) {
  const Heading = `h${level}` as const
  const { t } = useTranslation()
  const [pin, setPinValue] = useState('')
  const [repeat, setRepeat] = useState('')
  const [current, setCurrent] = useState('')
  const [changing, setChanging] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  useEffect(() => {
    void hasPin().then(setChanging)
  }, [])

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setSaved(false)
    if (!isValidPin(pin)) return setError(t('pin.invalid'))
    if (pin !== repeat) return setError(t('pin.mismatch'))
    setError(null)
    const ok = await setPin(pin, changing ? current : undefined)
    if (!ok) {
      setCurrent('')
      return setError(t('pin.wrongCurrent'))
    }
    setPinValue('')
    setRepeat('')
    setCurrent('')
    setChanging(true)
    setSaved(true)
    onDone()
  }

  return (
    <form className="inline-form" onSubmit={onSubmit} aria-labelledby="set-pin-title">
      <Heading id="set-pin-title">{t('pin.setTitle')}</Heading>
      {intro && <p>{intro}</p>}
      {changing && (
        <PinField
          label={t('pin.current')}
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
      )}
      <PinField
        label={t('pin.new')}
        autoComplete="new-password"
        value={pin}
        onChange={setPinValue}
      />
      <PinField
        label={t('pin.repeat')}
        autoComplete="new-password"
        value={repeat}
        onChange={setRepeat}
      />
      <button type="submit" className="primary">
        {t('pin.save')}
      </button>
      <ErrorText message={error} />
      {saved && <p role="status">{t('pin.saved')}</p>}
    </form>
  )
}
