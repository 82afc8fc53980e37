import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { loadDeviceName, platformOf } from '../../state/device-name.ts'
import { login } from '../../state/sync-store.ts'
import { signInErrorText, useLocalPin } from './LocalPinField.tsx'

/**
 * The state and submit of a sign-in form (the account page, and the lock screen's "another
 * practitioner"): username, password, the tablet's name at its first sign-in, the tablet's PIN
 * when it holds data from before any login, and the error in the person's words. The password
 * and PIN are cleared after every try.
 */
export function useSignIn() {
  const { t } = useTranslation()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const localPin = useLocalPin()
  const deviceName = useDeviceNameField()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const name = deviceName.value.trim() || t('account.defaultDevice')
      await login(username.trim(), password, name, localPin.value)
      setPassword('')
    } catch (err) {
      setError(signInErrorText(err, t))
    } finally {
      localPin.clear()
      setBusy(false)
    }
  }
  return { username, setUsername, password, setPassword, error, busy, localPin, deviceName, submit }
}

/**
 * The tablet's name: asked only at its first sign-in (with a default from the kind of tablet),
 * then the stored one goes along; Innstillinger changes it.
 */
function useDeviceNameField() {
  const { t } = useTranslation()
  const [asked, setAsked] = useState(false)
  const [value, setValue] = useState('')
  useEffect(() => {
    let live = true
    void loadDeviceName().then((stored) => {
      if (!live) return
      const platform = platformOf(navigator.userAgent)
      setAsked(stored === null)
      setValue(
        stored ??
          (platform ? t('account.defaultDeviceOn', { platform }) : t('account.defaultDevice')),
      )
    })
    return () => {
      live = false
    }
  }, [t])
  return { asked, value, setValue }
}
