import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  LOCAL_OWNER,
  type PinHolder,
  pinHolders,
  unlock,
  useLockStore,
} from '../../state/lock-store.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { DeviceNameField } from '../account/DeviceNameField.tsx'
import { LocalPinField } from '../account/LocalPinField.tsx'
import { OidcOutcome, OidcSignInButton } from '../account/OidcSignIn.tsx'
import { SecondFactorForm } from '../account/SecondFactorForm.tsx'
import { useSignIn } from '../account/use-sign-in.ts'
import { SetPinForm } from '../settings/SetPinForm.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'
import { PinField } from '../shared/PinField.tsx'

/**
 * Covers everything while the data is locked: the PIN (saying whose data it opens), the PIN to
 * choose right after a sign-in, or an online login when no PIN can open the data.
 */
export function LockScreen() {
  const { t } = useTranslation()
  const status = useLockStore((s) => s.status)
  const left = useLockStore((s) => s.left)
  const reason = useLockStore((s) => s.reason)
  const person = useSyncStore((s) => s.person)
  const [signIn, setSignIn] = useState(false)

  if (status === 'needs-pin') {
    return (
      <main className="lock-screen panel" aria-labelledby="set-pin-title">
        <SetPinForm
          level={1}
          intro={[
            person
              ? t('account.signedInAs', { name: person.displayName, username: person.username })
              : '',
            t('lock.choosePin'),
          ]
            .join(' ')
            .trim()}
          onDone={() => undefined}
        />
      </main>
    )
  }
  if (status === 'locked-out' || signIn) {
    return (
      <main className="lock-screen panel" aria-labelledby="lock-title">
        <h1 id="lock-title">{t('lock.lockedOutTitle')}</h1>
        {status === 'locked-out' && <p>{t(`lock.lockedOut.${reason ?? 'no-key'}`)}</p>}
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
      <WhoseData />
      <OidcOutcome />
      <PinForm left={left} />
      <button type="button" className="link" onClick={() => setSignIn(true)}>
        {t('lock.otherPerson')}
      </button>
    </main>
  )
}

/** On a shared tablet: whose data this PIN opens, and who else has a PIN here. */
function WhoseData() {
  const { t } = useTranslation()
  const [holders, setHolders] = useState<PinHolder[]>([])
  useEffect(() => {
    let live = true
    void pinHolders().then((h) => live && setHolders(h))
    return () => {
      live = false
    }
  }, [])
  const nameOf = (h: PinHolder) => h.name ?? t('lock.unnamed')
  const current = holders.find((h) => h.current)
  const others = holders.filter((h) => !h.current)
  return (
    <>
      {current && (
        <p className="lock-whose">
          {current.owner === LOCAL_OWNER
            ? t('lock.opensLocal')
            : t('lock.opensFor', { name: nameOf(current) })}
        </p>
      )}
      {others.length > 0 && (
        <p className="muted">
          {t('lock.othersHere', {
            names: others
              .map((h) => (h.owner === LOCAL_OWNER ? t('lock.localData') : nameOf(h)))
              .join(', '),
          })}
        </p>
      )}
    </>
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
  const {
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
    setPending,
  } = useSignIn()
  if (pending) return <SecondFactorForm pending={pending} onPending={setPending} />
  return (
    <form className="inline-form" onSubmit={submit}>
      <OidcSignInButton deviceName={deviceName.value} />
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
      <DeviceNameField field={deviceName} />
      <LocalPinField pin={localPin} />
      <button type="submit" className="primary" disabled={busy}>
        {t('account.login')}
      </button>
      <ErrorText message={error} />
    </form>
  )
}
