import type { TFunction } from 'i18next'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { beginOidcSignIn, offersOidcSignIn, useOidcStore } from '../../state/oidc-sign-in.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

const FAILURES = [
  'no_access',
  'account_deactivated',
  'sign_in_expired',
  'provider_refused',
  'code_rejected',
  'token_rejected',
  'client_rejected',
  'provider_unreachable',
  'identity_provider_unreachable',
  'groups_overage',
  'oidc_exchange_invalid',
  'network',
] as const

export function oidcFailureText(code: string, t: TFunction): string {
  return (FAILURES as readonly string[]).includes(code)
    ? t(`oidc.failure.${code as (typeof FAILURES)[number]}`)
    : t('oidc.failure.other')
}

/** How the last sign-in with the municipality's account went: busy, or why it failed. */
export function OidcOutcome() {
  const { t } = useTranslation()
  const { busy, failure } = useOidcStore()
  if (busy)
    return (
      <p className="notice" role="status">
        {t('oidc.busy')}
      </p>
    )
  return <ErrorText message={failure ? oidcFailureText(failure, t) : null} />
}

/**
 * "Logg inn med kommunens konto", shown when the server offers it: opens the provider's sign-in
 * page, which sends the browser back to Linja (takeOidcReturn finishes there).
 */
export function OidcSignInButton({ deviceName }: { deviceName: string }) {
  const { t } = useTranslation()
  const busy = useOidcStore((s) => s.busy)
  const [offered, setOffered] = useState(false)
  useEffect(() => {
    let live = true
    void offersOidcSignIn().then((yes) => live && setOffered(yes))
    return () => {
      live = false
    }
  }, [])
  if (!offered) return <OidcOutcome />
  return (
    <div className="oidc-sign-in">
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => void beginOidcSignIn(deviceName.trim() || t('account.defaultDevice'))}
      >
        {t('oidc.button')}
      </button>
      <OidcOutcome />
      <p>{t('oidc.or')}</p>
    </div>
  )
}
