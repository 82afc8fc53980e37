// A real OpenID provider (oidc-provider) configured like Microsoft Entra ID, run as its own process by the tests.
// Accounts come from OIDC_ACCOUNTS (JSON: login → { oid, name, email, groups }); OIDC_JWT_CLIENT_KEYS holds the
// public keys of the private_key_jwt client (`<client id>-jwt`). It prints its issuer once listening.
import { createServer } from 'node:net'
import Provider from 'oidc-provider'

interface TestAccount {
  oid: string
  name: string
  email: string
  groups: string[]
  /** Seconds this person's authorization codes live (tests of an expired code). */
  codeTtl?: number
  /**
   * In more groups than fit in a token: Entra's ID token then points to Microsoft Graph
   * (`_claim_names`/`_claim_sources`), or says only `hasgroups` (implicit flow), and has no `groups`.
   */
  overage?: 'claim_sources' | 'hasgroups'
}

const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}') as Record<string, TestAccount>
const redirectUris = (process.env.OIDC_REDIRECT_URIS ?? '').split(' ').filter(Boolean)

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function groupClaims(account: TestAccount): Record<string, unknown> {
  if (account.overage === 'hasgroups') return { hasgroups: true }
  if (account.overage === 'claim_sources')
    return {
      _claim_names: { groups: 'src1' },
      _claim_sources: {
        src1: {
          endpoint: `https://graph.microsoft.com/v1.0/users/${account.oid}/getMemberObjects`,
        },
      },
    }
  return { groups: account.groups }
}

const jwtKeys = JSON.parse(process.env.OIDC_JWT_CLIENT_KEYS ?? '[]') as JsonWebKey[]
// As HelseID: the client proves itself with a JWT signed by its private key, no secret.
const jwtClients =
  jwtKeys.length === 0
    ? []
    : [
        {
          client_id: `${process.env.OIDC_CLIENT_ID ?? 'linja'}-jwt`,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: jwtKeys },
        },
      ]

const port = Number(process.env.OIDC_PORT ?? 0) || (await freePort())
const issuer = `http://127.0.0.1:${port}`
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID ?? 'linja',
      client_secret: process.env.OIDC_CLIENT_SECRET ?? 'linja-test-secret',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    ...jwtClients,
  ],
  // As Entra ID: PKCE for every client, the groups and oid claims in the ID token.
  pkce: { required: () => true },
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username', 'oid', 'groups', 'hasgroups'],
    email: ['email'],
  },
  ttl: {
    AuthorizationCode: (_ctx, code) => accounts[code.accountId ?? '']?.codeTtl ?? 60,
  },
  cookies: { keys: ['linja-test-provider-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    const account = accounts[id]
    if (!account) return undefined
    return {
      accountId: id,
      claims: async () => ({
        sub: `sub-${id}`,
        oid: account.oid,
        name: account.name,
        preferred_username: account.email,
        email: account.email,
        ...groupClaims(account),
      }),
    }
  },
})
// The dev login page says so in a warning; the tests know.
provider.on('server_error', (_ctx, error) => console.error('provider error', error))
provider.listen(port, '127.0.0.1', () => {
  console.log(`issuer ${issuer}`)
})
