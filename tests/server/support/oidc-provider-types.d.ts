// The small part of oidc-provider's API the test provider uses (the package ships no types).
declare module 'oidc-provider' {
  interface Account {
    accountId: string
    claims: () => Promise<Record<string, unknown>>
  }
  interface ProviderOptions {
    clients: Record<string, unknown>[]
    pkce: { required: () => boolean }
    conformIdTokenClaims: boolean
    claims: Record<string, string[]>
    ttl: { AuthorizationCode: (ctx: unknown, code: { accountId?: string }) => number }
    cookies: { keys: string[] }
    features: Record<string, { enabled: boolean }>
    findAccount: (ctx: unknown, id: string) => Promise<Account | undefined>
  }
  export default class Provider {
    constructor(issuer: string, options: ProviderOptions)
    on(event: 'server_error', listener: (ctx: unknown, error: Error) => void): void
    listen(port: number, host: string, ready: () => void): void
  }
}
