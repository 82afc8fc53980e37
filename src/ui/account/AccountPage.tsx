import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { describeClockSkew } from '../../state/clock-skew.ts'
import { dismissConflict, logout, syncNow, useSyncStore } from '../../state/sync-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'
import { DeviceNameField } from './DeviceNameField.tsx'
import { LocalPinField } from './LocalPinField.tsx'
import { OidcSignInButton } from './OidcSignIn.tsx'
import { SecondFactorForm } from './SecondFactorForm.tsx'
import {
  clockSkewText,
  refusalText,
  signInAgainReason,
  syncErrorText,
  waitingText,
} from './sync-words.ts'
import { useSignIn } from './use-sign-in.ts'

export function AccountPage() {
  const { t } = useTranslation()
  const status = useSyncStore((s) => s.status)
  const person = useSyncStore((s) => s.person)
  const fmt = useFormat()
  const locale = useUiStore((s) => s.locale)
  const skew = describeClockSkew(status?.clockSkewMs)
  const online = useUiStore((s) => s.online)
  const [confirmPending, setConfirmPending] = useState<number | null>(null)
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
  const waiting = waitingText({ status, person, online }, t, 'long')
  const signInAgain = signInAgainReason(status)

  return (
    <section className="panel" aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      {status?.state === 'revoked' && (
        <p className="notice bad" role="alert">
          {status.revokedReason === 'account_deactivated'
            ? t('account.deactivated')
            : t('account.revoked')}
        </p>
      )}
      {status?.state === 'update-needed' && (
        <p className="notice bad" role="alert">
          {t('account.updateNeeded')}
        </p>
      )}
      {status?.state === 'device-conflict' && (
        <p className="notice bad" role="alert">
          {t('account.deviceConflict')}
        </p>
      )}
      {person ? (
        <>
          <p>{t('account.signedInAs', { name: person.displayName, username: person.username })}</p>
          {waiting && (
            <p className="notice bad" role="status">
              {waiting}
            </p>
          )}
          <dl className="sync-facts">
            <dt>{t('account.pending')}</dt>
            <dd>{status?.pending ?? 0}</dd>
            <dt>{t('account.lastSync')}</dt>
            <dd>
              {status?.lastSuccessAt ? fmt.dateTime(status.lastSuccessAt) : t('account.never')}
            </dd>
            <dt>{t('account.lastError')}</dt>
            <dd>{status?.lastError ? syncErrorText(status.lastError, t) : t('account.none')}</dd>
            {skew ? (
              <>
                <dt>{t('account.clock')}</dt>
                <dd>{clockSkewText(skew, t, locale)}</dd>
              </>
            ) : null}
          </dl>
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={() => void syncNow()}
              disabled={status?.state === 'syncing'}
            >
              {t('account.syncNow')}
            </button>
            <button
              type="button"
              onClick={async () => {
                const result = await logout(false)
                if (!result.ok) setConfirmPending(result.pending)
              }}
            >
              {t('account.logout')}
            </button>
          </div>
          {confirmPending !== null && (
            <div className="notice" role="alert">
              <p>{t('account.logoutPending', { count: confirmPending })}</p>
              <div className="row">
                <button type="button" onClick={() => setConfirmPending(null)}>
                  {t('common.cancel')}
                </button>
                <button
                  type="button"
                  onClick={async () => {
                    await logout(true)
                    setConfirmPending(null)
                  }}
                >
                  {t('account.logoutAnyway')}
                </button>
              </div>
            </div>
          )}
          {status && status.conflicts.length > 0 && (
            <section aria-labelledby="conflicts-title">
              <h2 id="conflicts-title">{t('account.conflictsTitle')}</h2>
              <ul className="conflicts">
                {status.conflicts.map((c) => (
                  <li key={c.opId}>
                    {c.status === 'conflict' ? t('account.conflict') : t('account.rejected')}{' '}
                    {refusalText(c.reason, t)} ({fmt.dateTime(c.at)})
                    <button type="button" onClick={() => void dismissConflict(c.opId)}>
                      {t('account.dismiss')}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      ) : pending ? (
        <SecondFactorForm pending={pending} onPending={setPending} />
      ) : (
        <form className="login-form" onSubmit={submit}>
          {signInAgain && (
            <p className="notice bad" role="alert">
              {syncErrorText(signInAgain, t)}
            </p>
          )}
          <p>{t('account.loginHelp')}</p>
          <OidcSignInButton deviceName={deviceName.value} />
          <label className="field">
            <span>{t('account.username')}</span>
            <input
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              autoComplete="username"
              required
            />
          </label>
          <label className="field">
            <span>{t('account.password')}</span>
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              autoComplete="current-password"
              required
            />
          </label>
          <DeviceNameField field={deviceName} />
          <LocalPinField pin={localPin} />
          <button type="submit" className="primary" disabled={busy}>
            {t('account.login')}
          </button>
          <ErrorText message={error} />
        </form>
      )}
    </section>
  )
}
