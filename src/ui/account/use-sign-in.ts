import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { loadDeviceName, platformOf } from '../../state/device-name.ts'
import {
  login,
  SecondFactorRequired,
  type SecondFactorStep,
  type SignInCredentials,
} from '../../state/sync-store.ts'
import { signInErrorText, useLocalPin } from './LocalPinField.tsx'

/**
 * The state and submit of a sign-in form (the account page, and the lock screen's "another
 * practitioner"): username, password, the tablet's name at its first sign-in, the tablet's PIN
 * when it holds data from before any login, and the error in the person's words. The password
 * and PIN are cleared after every try. When the server asks a second factor, `pending` holds the
 * step and what the later steps need (the password opens the key on the tablet at the end).
 */
export function useSignIn() {
  const { t } = useTranslation()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const localPin = useLocalPin()
  const deviceName = useDeviceNameField()
  const [pending, setPending] = useState<PendingSignIn | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    const credentials = {
      password,
      deviceName: deviceName.value.trim() || t('account.defaultDevice'),
      localPin: localPin.value,
    }
    try {
      await login(username.trim(), password, credentials.deviceName, credentials.localPin)
      setPassword('')
    } catch (err) {
      if (err instanceof SecondFactorRequired) {
        setPassword('')
        setPending({ step: err.step, credentials })
      } else setError(signInErrorText(err, t))
    } finally {
      localPin.clear()
      setBusy(false)
    }
  }
  return {
    username,
    setUsername,
    password,
    setPassword,
    error,
    busy,
    localPin,
    deviceName,
    submit,
    pending,
    /** Back to the password form (a new step, or starting again). */
    setPending,
  }
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

export interface PendingSignIn {
  step: SecondFactorStep
  credentials: SignInCredentials
}
