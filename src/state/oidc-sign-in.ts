// Sign-in with the municipality's account on this tablet: the tablet's secret (sessionStorage, this tab only, until the provider sends the browser back) and the outcome.
import { create } from 'zustand'
import { isSyncHttpError, oidcOffered, startOidcSignIn } from '../sync/index.ts'
import { loginWithDirectory } from './sync-store.ts'

/** Whether the server offers sign-in with the municipality's account. */
export const offersOidcSignIn = () => oidcOffered()

const PENDING_KEY = 'linja.oidc-sign-in'

interface OidcState {
  busy: boolean
  /** Why the last try failed: a code the UI puts into words (provider reasons, or the server's error). */
  failure: string | null
}

export const useOidcStore = create<OidcState>()(() => ({ busy: false, failure: null }))

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

/**
 * Opens the provider's sign-in. The tablet keeps a fresh secret and sends only its SHA-256: the
 * code the provider's return brings is worth nothing without the secret, so only this tablet
 * (this browser tab) can finish the sign-in.
 */
export async function beginOidcSignIn(deviceName: string): Promise<void> {
  useOidcStore.setState({ busy: true, failure: null })
  try {
    const secret = base64url(crypto.getRandomValues(new Uint8Array(32)))
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)),
    )
    const { authorizationUrl } = await startOidcSignIn(base64url(digest))
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({ secret, deviceName }))
    window.location.assign(authorizationUrl)
  } catch (error) {
    useOidcStore.setState({ busy: false, failure: failureOf(error) })
  }
}

function failureOf(error: unknown): string {
  return isSyncHttpError(error) ? error.code : 'network'
}

/**
 * At start: the provider's return (`#oidc=<code>` or `#oidc-error=<reason>`) is taken from the
 * address at once, so it stays in no history entry. Returns what finishes the sign-in (to call
 * once sync has started), or null when the address brought none.
 */
export function takeOidcReturn(): (() => Promise<void>) | null {
  const hash = new URLSearchParams(window.location.hash.slice(1))
  const code = hash.get('oidc')
  const failure = hash.get('oidc-error')
  if (code === null && failure === null) return null
  window.history.replaceState(null, '', window.location.pathname)
  const pending = sessionStorage.getItem(PENDING_KEY)
  sessionStorage.removeItem(PENDING_KEY)
  if (failure !== null || code === null || pending === null) {
    useOidcStore.setState({ failure: failure ?? 'sign_in_expired' })
    return null
  }
  const { secret, deviceName } = JSON.parse(pending) as { secret: string; deviceName: string }
  useOidcStore.setState({ busy: true, failure: null })
  return () =>
    loginWithDirectory(code, secret, deviceName).then(
      () => useOidcStore.setState({ busy: false }),
      (error: unknown) => useOidcStore.setState({ busy: false, failure: failureOf(error) }),
    )
}
