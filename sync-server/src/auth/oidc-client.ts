// The identity provider through openid-client: discovery (kept once it worked), the authorization URL, and the code exchange with its checks.
import * as client from 'openid-client'
import { Refusal } from '../refusal.ts'
import { importClientKey } from './oidc-client-key.ts'
import { isLoopback, type OidcConfig } from './oidc-config.ts'

/** Why a return from the provider was not accepted: the app shows words for each. */
export const OIDC_FAILURES = [
  'sign_in_expired',
  'provider_refused',
  'code_rejected',
  'token_rejected',
  'client_rejected',
  'provider_unreachable',
  'groups_overage',
  'no_access',
  'account_deactivated',
] as const
export type OidcFailure = (typeof OIDC_FAILURES)[number]

export class OidcFailed extends Error {
  constructor(
    public readonly reason: OidcFailure,
    detail: string,
  ) {
    super(detail)
    this.name = 'OidcFailed'
  }
}

export const UNREACHABLE_MESSAGE =
  "The municipality's sign-in service cannot be reached just now. Try again in a while, or sign in with a Linja username and password; if it goes on, tell the administrator. Work on this tablet is not affected."

const TIMEOUT_SECONDS = 10

export interface ProvenPerson {
  claims: Record<string, unknown>
}

export class OidcClient {
  private configuration: Promise<client.Configuration> | null = null

  constructor(private readonly config: OidcConfig) {}

  /** Discovery once; a failure is forgotten so the next sign-in tries again. */
  private async provider(): Promise<client.Configuration> {
    this.configuration ??= this.clientAuthentication()
      .then((authentication) =>
        client.discovery(this.config.issuer, this.config.clientId, undefined, authentication, {
          timeout: TIMEOUT_SECONDS,
          // Plain HTTP only for a provider on this machine (oidc-config refuses it elsewhere).
          ...(isLoopback(this.config.issuer) ? { execute: [client.allowInsecureRequests] } : {}),
        }),
      )
      .catch((error: unknown) => {
        this.configuration = null
        throw error
      })
    return this.configuration
  }

  private async clientAuthentication(): Promise<client.ClientAuth> {
    const auth = this.config.clientAuth
    if (auth.method === 'client_secret') return client.ClientSecretPost(auth.secret)
    const key = await importClientKey(auth.key)
    return client.PrivateKeyJwt(auth.key.kid === null ? { key } : { key, kid: auth.key.kid })
  }

  async authorizationUrl(checks: { state: string; nonce: string; verifier: string }): Promise<URL> {
    let provider: client.Configuration
    try {
      provider = await this.provider()
    } catch {
      throw new Refusal(503, 'identity_provider_unreachable', UNREACHABLE_MESSAGE)
    }
    return client.buildAuthorizationUrl(provider, {
      redirect_uri: this.config.redirectUri,
      scope: this.config.scopes,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.verifier),
      code_challenge_method: 'S256',
    })
  }

  /** The ID token's claims after openid-client checked state, PKCE, nonce, issuer, audience and signature. */
  async exchange(
    callback: URL,
    checks: { state: string; nonce: string; verifier: string },
  ): Promise<Record<string, unknown>> {
    let provider: client.Configuration
    try {
      provider = await this.provider()
    } catch {
      throw new OidcFailed('provider_unreachable', 'discovery failed')
    }
    try {
      const tokens = await client.authorizationCodeGrant(provider, callback, {
        pkceCodeVerifier: checks.verifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) throw new OidcFailed('token_rejected', 'no ID token')
      return { ...claims }
    } catch (error) {
      throw classify(error)
    }
  }
}

function classify(error: unknown): OidcFailed {
  if (error instanceof OidcFailed) return error
  if (error instanceof client.AuthorizationResponseError)
    return new OidcFailed('provider_refused', error.error)
  if (error instanceof client.ResponseBodyError) {
    // The provider does not accept Linja itself: a wrong secret or key (the settings, not the person).
    if (error.error === 'invalid_client' || error.error === 'unauthorized_client')
      return new OidcFailed('client_rejected', error.error)
    // The token endpoint refused the code: expired, used before, or not issued for this verifier.
    return new OidcFailed('code_rejected', error.error)
  }
  const code = error instanceof client.ClientError ? error.code : undefined
  if (code === 'OAUTH_TIMEOUT' || (error instanceof TypeError && /fetch/i.test(error.message)))
    return new OidcFailed('provider_unreachable', code ?? 'fetch failed')
  // A state, nonce, issuer, audience or signature that does not match: the answer is not trusted.
  return new OidcFailed('token_rejected', code ?? (error instanceof Error ? error.name : 'unknown'))
}
