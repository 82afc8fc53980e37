// Starts the test OpenID provider (support/oidc-provider.ts) as a child process and stops it.
import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../../..')

export interface ProviderAccount {
  oid: string
  name: string
  email: string
  groups: string[]
  codeTtl?: number
  overage?: 'claim_sources' | 'hasgroups'
}

export interface ProviderProcess {
  issuer: string
  clientId: string
  clientSecret: string
  /** The client that authenticates with a signed JWT (private_key_jwt), as HelseID requires. */
  jwtClientId: string
  child: ChildProcess
  stop: () => Promise<void>
}

export async function startProvider(options: {
  accounts: Record<string, ProviderAccount>
  redirectUris: string[]
  /** Public JWKs the private_key_jwt client signs with. */
  jwtClientKeys?: (JsonWebKey & { kid?: string; alg?: string; use?: string })[]
}): Promise<ProviderProcess> {
  const clientId = 'linja'
  const clientSecret = 'linja-test-secret-0123456789'
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/server/support/oidc-provider.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        OIDC_ACCOUNTS: JSON.stringify(options.accounts),
        OIDC_REDIRECT_URIS: options.redirectUris.join(' '),
        OIDC_CLIENT_ID: clientId,
        OIDC_CLIENT_SECRET: clientSecret,
        OIDC_JWT_CLIENT_KEYS: JSON.stringify(options.jwtClientKeys ?? []),
        NODE_ENV: 'test',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout?.on('data', (d) => {
    out += String(d)
  })
  child.stderr?.on('data', (d) => {
    out += String(d)
  })
  const issuer = await new Promise<string>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider did not start:\n${out}`)), 30_000)
    child.stdout?.on('data', () => {
      const m = /issuer (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolveStart(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`provider exited with ${code}:\n${out}`))
    })
  })
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done()
      child.once('exit', () => done())
      child.kill('SIGTERM')
    })
  return { issuer, clientId, clientSecret, jwtClientId: `${clientId}-jwt`, child, stop }
}

/** Cookies kept across the provider's redirects, as a browser would. */
class CookieJar {
  private readonly cookies = new Map<string, string>()
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair?.indexOf('=') ?? -1
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1))
    }
  }
}

/**
 * A person signing in at the provider: opens the authorization URL, fills the provider's login
 * form and consents, and returns the address the provider sends the browser back to (Linja's callback).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new CookieJar()
  let url = new URL(authorizationUrl)
  let method = 'GET'
  let body: URLSearchParams | undefined
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    })
    jar.take(response)
    const location = response.headers.get('location')
    if (location) {
      const next = new URL(location, url)
      if (next.origin !== url.origin && !next.href.startsWith(new URL(authorizationUrl).origin))
        return next
      url = next
      method = 'GET'
      body = undefined
      continue
    }
    const html = await response.text()
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    if (!action)
      throw new Error(`no form at ${url.href} (${response.status}): ${html.slice(0, 300)}`)
    url = new URL(action.replace(/&amp;/g, '&'), url)
    method = 'POST'
    body = /name="prompt" value="login"/.test(html)
      ? new URLSearchParams({ prompt: 'login', login, password: 'any' })
      : new URLSearchParams({ prompt: 'consent' })
  }
  throw new Error('too many hops at the provider')
}
