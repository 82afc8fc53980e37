import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { unlock, useLockStore } from '../../state/lock-store.ts'
import { LocalPinField } from '../account/LocalPinField.tsx'
import { useSignIn } from '../account/use-sign-in.ts'
import { SetPinForm } from '../settings/SetPinForm.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'
import { PinField } from '../shared/PinField.tsx'

/** Covers everything while the data is locked: the PIN, or an online login after a lock-out. */
export function LockScreen() {
  const { t } = useTranslation()
  const status = useLockStore((s) => s.status)
  const left = useLockStore((s) => s.left)
  const [signIn, setSignIn] = useState(false)

  if (status === 'needs-pin') {
    return (
      <main className="lock-screen panel" aria-labelledby="set-pin-title">
        <SetPinForm level={1} intro={t('lock.choosePin')} onDone={() => undefined} />
      </main>
    )
  }
  if (status === 'locked-out' || signIn) {
    return (
      <main className="lock-screen panel" aria-labelledby="lock-title">
        <h1 id="lock-title">{t('lock.lockedOutTitle')}</h1>
        {status === 'locked-out' && <p>{t('lock.lockedOut')}</p>}
        <SignInForm />
        {signIn && status !== 'locked-out' && (
          <button type="button" onClick={() => setSignIn(false)}>
            {t('common.cancel')}
          </button>
        )}
      </main>
    )
  }
  return (
    <main className="lock-screen panel" aria-labelledby="lock-title">
      <h1 id="lock-title">{t('lock.title')}</h1>
      <p>{t('lock.help')}</p>
      <PinForm left={left} />
      <button type="button" className="link" onClick={() => setSignIn(true)}>
        {t('lock.otherPerson')}
      </button>
    </main>
  )
}

function PinForm({ left }: { left: number | null }) {
  const { t } = useTranslation()
  const [pin, setPin] = useState('')
  const [busy, setBusy] = useState(false)
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const ok = await unlock(pin)
    setBusy(false)
    if (!ok) setPin('')
  }
  return (
    <form className="inline-form" onSubmit={onSubmit}>
      <PinField label={t('pin.label')} value={pin} onChange={setPin} invalid={left !== null} />
      {left !== null && (
        <p className="error" role="alert">
          {t('pin.triesLeft', { count: left })}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || pin.length < 4}>
        {t('pin.unlock')}
      </button>
    </form>
  )
}

function SignInForm() {
  const { t } = useTranslation()
  const { username, setUsername, password, setPassword, error, busy, localPin, submit } =
    useSignIn()
  return (
    <form className="inline-form" onSubmit={(e) => submit(e, t('account.defaultDevice'))}>
      <label className="field">
        <span>{t('account.username')}</span>
        <input
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('account.password')}</span>
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <LocalPinField pin={localPin} />
      <button type="submit" className="primary" disabled={busy}>
        {t('account.login')}
      </button>
      <ErrorText message={error} />
    </form>
  )
}
