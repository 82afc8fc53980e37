import type { TFunction } from 'i18next'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isSyncHttpError } from '../../state/errors.ts'
import { SecondFactorRequired, signInWithSecondFactor } from '../../state/sync-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { signInErrorText } from './LocalPinField.tsx'
import { TotpEnrolment } from './TotpEnrolment.tsx'
import type { PendingSignIn } from './use-sign-in.ts'

const TWO_FACTOR_ERRORS = new Set([
  'wrong_code',
  'code_replayed',
  'wrong_recovery_code',
  'sign_in_expired',
  'two_factor_unreadable',
])

/** A refused code in the person's words; anything else as any sign-in failure. */
export function twoFactorErrorText(error: unknown, t: TFunction): string {
  if (isSyncHttpError(error) && TWO_FACTOR_ERRORS.has(error.code)) {
    return t(`twoFactor.${error.code}`)
  }
  return signInErrorText(error, t)
}

/**
 * The sign-in's second step, after the password: a code from the authenticator app (or a
 * recovery code), or enrolling the app when the account needs one and has none yet.
 */
export function SecondFactorForm({
  pending,
  onPending,
}: {
  pending: PendingSignIn
  /** A new step (a recovery code leads on to enrolment), or null: back to the password. */
  onPending: (next: PendingSignIn | null) => void
}) {
  if (pending.step.secondFactor === 'enrol') {
    return (
      <TotpEnrolment
        key={pending.step.pendingToken}
        pending={pending}
        onCancel={() => onPending(null)}
      />
    )
  }
  return <CodeStep pending={pending} onPending={onPending} />
}

function CodeStep({
  pending,
  onPending,
}: {
  pending: PendingSignIn
  onPending: (next: PendingSignIn | null) => void
}) {
  const { t } = useTranslation()
  const [recovery, setRecovery] = useState(false)
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      const proof = recovery ? { recoveryCode: value.trim() } : { code: value.replace(/\s+/g, '') }
      await signInWithSecondFactor(pending.step.pendingToken, proof, pending.credentials)
    } catch (err) {
      if (err instanceof SecondFactorRequired) onPending({ ...pending, step: err.step })
      else setError(twoFactorErrorText(err, t))
      setValue('')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="login-form" onSubmit={submit} aria-labelledby="second-factor-title">
      <h2 id="second-factor-title">{t('twoFactor.codeTitle')}</h2>
      <p>{recovery ? t('twoFactor.recoveryHelp') : t('twoFactor.codeHelp')}</p>
      <label className="field">
        <span>{recovery ? t('twoFactor.recoveryCode') : t('twoFactor.code')}</span>
        <input
          value={value}
          onChange={(e) => setValue(e.target.value)}
          spellCheck={false}
          required
          {...(recovery
            ? { autoComplete: 'off', autoCapitalize: 'characters' }
            : {
                inputMode: 'numeric' as const,
                autoComplete: 'one-time-code',
                pattern: '[0-9 ]*',
                maxLength: 7,
              })}
        />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {t('twoFactor.confirm')}
      </button>
      <ErrorText message={error} />
      <div className="row">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setRecovery(!recovery)
            setValue('')
            setError(null)
          }}
        >
          {recovery ? t('twoFactor.useApp') : t('twoFactor.useRecovery')}
        </button>
        <button type="button" className="link-button" onClick={() => onPending(null)}>
          {t('twoFactor.startAgain')}
        </button>
      </div>
    </form>
  )
}
