import type { TFunction } from 'i18next'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { hasLocalKey, LocalPinError } from '../../state/lock-store.ts'
import { PinField } from '../shared/PinField.tsx'
import { syncErrorText } from './sync-words.ts'

/**
 * At sign-in on a tablet that stored clients before anyone signed in: the tablet's PIN, which
 * ties those clients to the account (and lets the password open them too). Hidden otherwise.
 */
export function useLocalPin() {
  const [shown, setShown] = useState(false)
  const [value, setValue] = useState('')
  useEffect(() => {
    void hasLocalKey().then(setShown)
  }, [])
  return { shown, value: shown && value ? value : undefined, setValue, clear: () => setValue('') }
}

export function LocalPinField({ pin }: { pin: ReturnType<typeof useLocalPin> }) {
  const { t } = useTranslation()
  if (!pin.shown) return null
  return (
    <PinField
      label={t('lock.localPin')}
      value={pin.value ?? ''}
      onChange={pin.setValue}
      describedBy="local-pin-help"
    >
      <small id="local-pin-help">{t('lock.localPinHelp')}</small>
    </PinField>
  )
}

/** A failed sign-in in the person's words: the tablet's PIN, or the server's answer. */
export function signInErrorText(error: unknown, t: TFunction): string {
  if (error instanceof LocalPinError)
    return error.reason === 'wrong' ? t('lock.localPinWrong') : t('lock.localPinBlocked')
  return syncErrorText(error, t)
}
