import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { login } from '../../state/sync-store.ts'
import { signInErrorText, useLocalPin } from './LocalPinField.tsx'

/**
 * The state and submit of a sign-in form (the account page, and the lock screen's "another
 * practitioner"): username, password, the tablet's PIN when it holds data from before any login,
 * and the error in the person's words. The password and PIN are cleared after every try.
 */
export function useSignIn() {
  const { t } = useTranslation()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const localPin = useLocalPin()

  const submit = async (e: FormEvent, deviceName: string) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      await login(username.trim(), password, deviceName, localPin.value)
      setPassword('')
    } catch (err) {
      setError(signInErrorText(err, t))
    } finally {
      localPin.clear()
      setBusy(false)
    }
  }
  return { username, setUsername, password, setPassword, error, busy, localPin, submit }
}
