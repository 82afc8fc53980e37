// The OpenID Connect settings from the environment (LINJA_OIDC_*), checked at start with words that say what to set.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type ClientKey, clientKeyFrom } from './oidc-client-key.ts'

/** How Linja proves itself at the token endpoint (LINJA_OIDC_CLIENT_AUTH). */
export type OidcClientAuth =
  | { method: 'client_secret'; secret: string }
  | { method: 'private_key_jwt'; key: ClientKey }

export interface OidcConfig {
  /** The provider's issuer identifier (discovery at `/.well-known/openid-configuration`). */
  issuer: URL
  clientId: string
  clientAuth: OidcClientAuth
  /** Where the provider sends the browser back: `<LINJA_OIDC_REDIRECT_BASE_URL>/api/auth/oidc/callback`. */
  redirectUri: string
  /** The address tablets open Linja at (the callback sends them back there). */
  appBaseUrl: string
  scopes: string
  /** The claim holding the person's group ids (Entra: `groups`). */
  groupsClaim: string
  /** The claim holding the person's stable id (Entra: `oid`); `sub` when the token has none. */
  idClaim: string
}

export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback'
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** True for a loopback address: plain HTTP is allowed there (a provider on the same machine, tests). */
export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname)
}

function httpsUrl(name: string, value: string, problems: string[]): URL | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push(
      `${name} must be a full address such as https://login.example.no/… (got "${value}")`,
    )
    return null
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    problems.push(`${name} must use https:// (plain http only for localhost) (got "${value}")`)
    return null
  }
  if (url.search !== '' || url.hash !== '') {
    problems.push(`${name} must not carry a query or a #fragment (got "${value}")`)
    return null
  }
  return url
}

const CLAIM = /^[A-Za-z0-9_:/.-]{1,100}$/

/** null when OpenID Connect is not configured (no LINJA_OIDC_* set); problems name what is missing. */
export function oidcFrom(
  env: NodeJS.ProcessEnv,
  cwd: string,
  problems: string[],
): OidcConfig | null {
  const value = (name: string) => {
    const v = env[name]?.trim()
    return v === undefined || v === '' ? null : v
  }
  const issuerText = value('LINJA_OIDC_ISSUER')
  const clientId = value('LINJA_OIDC_CLIENT_ID')
  const baseText = value('LINJA_OIDC_REDIRECT_BASE_URL')
  const anySet = Object.keys(env).some((k) => k.startsWith('LINJA_OIDC_') && value(k) !== null)
  if (!anySet) return null
  const before = problems.length
  const need = (name: string, v: string | null, what: string) => {
    if (v === null)
      problems.push(
        `${name} must be set for sign-in with the municipality's account (${what}), or unset every LINJA_OIDC_* variable`,
      )
  }
  need('LINJA_OIDC_ISSUER', issuerText, "the provider's issuer address")
  need('LINJA_OIDC_CLIENT_ID', clientId, "Linja's application (client) id at the provider")
  need('LINJA_OIDC_REDIRECT_BASE_URL', baseText, 'the https address tablets open Linja at')
  const clientAuth = clientAuthFrom(cwd, problems, value)
  const issuer = issuerText === null ? null : httpsUrl('LINJA_OIDC_ISSUER', issuerText, problems)
  const base =
    baseText === null ? null : httpsUrl('LINJA_OIDC_REDIRECT_BASE_URL', baseText, problems)
  const groupsClaim = value('LINJA_OIDC_GROUPS_CLAIM') ?? 'groups'
  const idClaim = value('LINJA_OIDC_ID_CLAIM') ?? 'oid'
  for (const [name, claim] of [
    ['LINJA_OIDC_GROUPS_CLAIM', groupsClaim],
    ['LINJA_OIDC_ID_CLAIM', idClaim],
  ] as const)
    if (!CLAIM.test(claim))
      problems.push(`${name} must be a claim name such as groups (got "${claim}")`)
  const scopes = value('LINJA_OIDC_SCOPES') ?? 'openid profile email'
  if (!scopes.split(/\s+/).includes('openid'))
    problems.push(`LINJA_OIDC_SCOPES must include openid (got "${scopes}")`)
  if (problems.length > before || !issuer || !base || !clientId || !clientAuth) return null
  const appBaseUrl = base.href.replace(/\/+$/, '')
  return {
    issuer,
    clientId,
    clientAuth,
    redirectUri: `${appBaseUrl}${OIDC_CALLBACK_PATH}`,
    appBaseUrl,
    scopes,
    groupsClaim,
    idClaim,
  }
}

const CLIENT_AUTH_METHODS = ['client_secret', 'private_key_jwt'] as const

/** A client secret (Entra ID, Ansattporten), or a signed JWT with a private key (HelseID). */
function clientAuthFrom(
  cwd: string,
  problems: string[],
  value: (name: string) => string | null,
): OidcClientAuth | null {
  const method = value('LINJA_OIDC_CLIENT_AUTH') ?? 'client_secret'
  let secret = value('LINJA_OIDC_CLIENT_SECRET')
  const secretFile = value('LINJA_OIDC_CLIENT_SECRET_FILE')
  const keyFile = value('LINJA_OIDC_PRIVATE_KEY_FILE')
  if (method === 'private_key_jwt') {
    if (secret !== null || secretFile !== null)
      problems.push(
        'LINJA_OIDC_CLIENT_SECRET (or _FILE) is not used with LINJA_OIDC_CLIENT_AUTH=private_key_jwt: unset it',
      )
    if (keyFile === null) {
      problems.push(
        "LINJA_OIDC_PRIVATE_KEY_FILE must be set with LINJA_OIDC_CLIENT_AUTH=private_key_jwt: a file with Linja's private key (JWK or PEM) whose public key is registered at the provider",
      )
      return null
    }
    const key = clientKeyFrom(keyFile, cwd, problems)
    return key && { method, key }
  }
  if (method !== 'client_secret') {
    problems.push(
      `LINJA_OIDC_CLIENT_AUTH must be ${CLIENT_AUTH_METHODS.join(' or ')} (got "${method}")`,
    )
    return null
  }
  if (keyFile !== null)
    problems.push(
      'LINJA_OIDC_PRIVATE_KEY_FILE is used only with LINJA_OIDC_CLIENT_AUTH=private_key_jwt: set that too, or unset the key file',
    )
  if (secret !== null && secretFile !== null) {
    problems.push('Set LINJA_OIDC_CLIENT_SECRET or LINJA_OIDC_CLIENT_SECRET_FILE, not both')
    return null
  }
  if (secretFile !== null) {
    try {
      secret = readFileSync(resolve(cwd, secretFile), 'utf8').trim()
    } catch (error) {
      problems.push(
        `LINJA_OIDC_CLIENT_SECRET_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ${secretFile}`,
      )
      return null
    }
  }
  if (secret === null || secret === '') {
    problems.push(
      "LINJA_OIDC_CLIENT_SECRET (or _FILE) must be set: the client secret of Linja's application at the provider (or LINJA_OIDC_CLIENT_AUTH=private_key_jwt with LINJA_OIDC_PRIVATE_KEY_FILE)",
    )
    return null
  }
  return { method, secret }
}
