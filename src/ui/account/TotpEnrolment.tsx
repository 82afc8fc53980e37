import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type AuthAnswer,
  confirmEnrolment,
  type TotpEnrolment as Enrolment,
  finishEnrolment,
  startEnrolment,
} from '../../state/sync-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { twoFactorErrorText } from './SecondFactorForm.tsx'
import type { PendingSignIn } from './use-sign-in.ts'

/**
 * Enrolling an authenticator app during a sign-in: the QR code (made by the server) and the same
 * secret as text, a first code to confirm, then the ten recovery codes, shown once before the
 * device session is stored (the PIN step that follows would cover them).
 */
export function TotpEnrolment({
  pending,
  onCancel,
}: {
  pending: PendingSignIn
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null)
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState<{ answer: AuthAnswer; recoveryCodes: string[] } | null>(null)
  const { pendingToken } = pending.step

  useEffect(() => {
    let live = true
    startEnrolment(pendingToken).then(
      (e) => live && setEnrolment(e),
      (err: unknown) => live && setError(twoFactorErrorText(err, t)),
    )
    return () => {
      live = false
    }
  }, [pendingToken, t])

  const confirm = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setBusy(true)
    try {
      setDone(await confirmEnrolment(pendingToken, code.replace(/\s+/g, '')))
    } catch (err) {
      setError(twoFactorErrorText(err, t))
      setCode('')
    } finally {
      setBusy(false)
    }
  }

  if (done) {
    return (
      <section className="login-form" aria-labelledby="recovery-codes-title">
        <h2 id="recovery-codes-title">{t('twoFactor.recoveryTitle')}</h2>
        <p>{t('twoFactor.recoveryShown')}</p>
        <ol className="recovery-codes">
          {done.recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true)
            try {
              await finishEnrolment(done.answer, pending.credentials)
            } catch (err) {
              setError(twoFactorErrorText(err, t))
              setBusy(false)
            }
          }}
        >
          {t('twoFactor.recoveryDone')}
        </button>
        <ErrorText message={error} />
      </section>
    )
  }

  return (
    <form className="login-form" onSubmit={confirm} aria-labelledby="enrol-title">
      <h2 id="enrol-title">{t('twoFactor.enrolTitle')}</h2>
      <p>{t('twoFactor.enrolHelp')}</p>
      {enrolment ? (
        <>
          <img
            className="totp-qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrSvg)}`}
            alt={t('twoFactor.qrAlt')}
            width={220}
            height={220}
          />
          <p>
            {t('twoFactor.secret')}:{' '}
            <code className="totp-secret">{enrolment.secret.match(/.{1,4}/g)?.join(' ')}</code>
          </p>
          <label className="field">
            <span>{t('twoFactor.enrolCode')}</span>
            <input
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={7}
              required
            />
          </label>
          <button type="submit" className="primary" disabled={busy}>
            {t('twoFactor.confirm')}
          </button>
        </>
      ) : (
        !error && <p role="status">{t('twoFactor.loading')}</p>
      )}
      <ErrorText message={error} />
      <button type="button" className="link-button" onClick={onCancel}>
        {t('twoFactor.startAgain')}
      </button>
    </form>
  )
}
