// Reads and validates the server's environment once at start; a bad value stops the start with a clear message.
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { type OidcConfig, oidcFrom } from './auth/oidc-config.ts'
import { MIN_SECRET_LENGTH } from './auth/secret-file.ts'

export interface ServerConfig {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | null
  staticDir: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Password for the first administrator; null = a random one printed once. */
  adminPassword: string | null
  /** Seed a fictional demo organisation on first start. */
  demo: boolean
  demoPassword: string
  /** Login attempts per minute per address (refresh gets three times as many). */
  loginRateLimit: number
  /** Signs access tokens; null = the embedded SQLite's own file beside the database. Never in the database. */
  tokenSecret: string | null
  /** The secret before a rotation: still accepted for tokens it signed until they have expired. */
  tokenSecretPrevious: string | null
  /** Seals secrets kept in the database (auth/secrets-key.ts); null = DATA_DIR/secrets-key with SQLite. */
  secretsKey: string | null
  /** TLS served by Linja itself (PEM contents); null = plain HTTP behind a TLS-terminating proxy. */
  tls: { cert: string; key: string } | null
  /**
   * Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, Fastify's
   * trustProxy); empty = the connecting address is the client's.
   */
  trustProxy: string[]
  /** The bearer secret of the SCIM provisioning endpoint (/scim/v2); null = provisioning is off. */
  scimToken: string | null
  /** Sign-in with the municipality's identity provider (LINJA_OIDC_*); null = local passwords only. */
  oidc: OidcConfig | null
  /** Where clients open remote forms (PUBLIC_URL, no trailing slash); needed to send links. */
  publicUrl: string | null
  /** E-mail of remote-form links (SMTP_URL, SMTP_FROM); null = the e-mail channel is off. */
  smtp: { url: string; from: string } | null
  /** SMS through an HTTP JSON gateway (SMS_GATEWAY_*, SMS_SENDER); null = the SMS channel is off. */
  sms: { url: string; token: string; sender: string } | null
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ServerConfig {
  const problems: string[] = []

  let port = 8080
  if (env.PORT !== undefined && env.PORT !== '') {
    const parsed = Number(env.PORT)
    if (!/^\d+$/.test(env.PORT) || !Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
      problems.push(`PORT must be a whole number from 0 to 65535 (got "${env.PORT}")`)
    } else {
      port = parsed
    }
  }

  const host = env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '0.0.0.0'

  const dataDir = resolve(cwd, env.DATA_DIR && env.DATA_DIR.trim() !== '' ? env.DATA_DIR : 'data')

  let databaseUrl: string | null = null
  if (env.DATABASE_URL !== undefined && env.DATABASE_URL.trim() !== '') {
    const url = env.DATABASE_URL.trim()
    if (!/^postgres(ql)?:\/\//.test(url)) {
      problems.push(
        'DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite database)',
      )
    } else {
      databaseUrl = url
    }
  }

  const logLevel = (env.LOG_LEVEL ?? 'info') as ServerConfig['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${env.LOG_LEVEL}")`)
  }

  const staticDir = resolve(
    cwd,
    env.STATIC_DIR && env.STATIC_DIR.trim() !== '' ? env.STATIC_DIR : 'dist',
  )

  let adminPassword: string | null = null
  if (env.LINJA_ADMIN_PASSWORD !== undefined && env.LINJA_ADMIN_PASSWORD !== '') {
    if (env.LINJA_ADMIN_PASSWORD.length < 10) {
      problems.push(
        'LINJA_ADMIN_PASSWORD must be at least 10 characters (or unset for a random one)',
      )
    } else {
      adminPassword = env.LINJA_ADMIN_PASSWORD
    }
  }

  const demoFlag = env.LINJA_DEMO ?? ''
  if (!['', '0', '1'].includes(demoFlag)) {
    problems.push(`LINJA_DEMO must be 1 or 0 (got "${demoFlag}")`)
  }
  const demoPassword = env.LINJA_DEMO_PASSWORD ?? 'linja-demo-2026'
  if (demoPassword.length < 10) problems.push('LINJA_DEMO_PASSWORD must be at least 10 characters')

  let loginRateLimit = 20
  if (env.LINJA_LOGIN_RATE_LIMIT !== undefined && env.LINJA_LOGIN_RATE_LIMIT !== '') {
    const parsed = Number(env.LINJA_LOGIN_RATE_LIMIT)
    if (!/^\d+$/.test(env.LINJA_LOGIN_RATE_LIMIT) || parsed < 1) {
      problems.push(
        `LINJA_LOGIN_RATE_LIMIT must be a whole number of at least 1 (got "${env.LINJA_LOGIN_RATE_LIMIT}")`,
      )
    } else {
      loginRateLimit = parsed
    }
  }

  const tokenSecret = secretFrom(env, 'LINJA_TOKEN_SECRET', cwd, problems)
  const tokenSecretPrevious = secretFrom(env, 'LINJA_TOKEN_SECRET_PREVIOUS', cwd, problems)
  if (databaseUrl && tokenSecret === null && !problems.some((p) => p.includes('TOKEN_SECRET'))) {
    problems.push(
      'With DATABASE_URL a token secret must be configured, the same on every instance: set LINJA_TOKEN_SECRET_FILE to a file holding at least 32 random characters (for example `openssl rand -base64 32`)',
    )
  }

  const secretsKey = secretFrom(env, 'LINJA_SECRETS_KEY', cwd, problems)
  if (secretsKey !== null && (secretsKey === tokenSecret || secretsKey === tokenSecretPrevious)) {
    // The token secret is rotated; what the secrets key sealed must outlive a rotation.
    problems.push(
      'LINJA_SECRETS_KEY_FILE must hold another secret than the token secret: make one (for example `openssl rand -base64 32`)',
    )
  }
  if (databaseUrl && secretsKey === null && !problems.some((p) => p.includes('SECRETS_KEY'))) {
    problems.push(
      'With DATABASE_URL a secrets key must be configured, the same on every instance and kept apart from the database backups: set LINJA_SECRETS_KEY_FILE to a file holding at least 32 random characters (for example `openssl rand -base64 32`)',
    )
  }

  const tls = tlsFrom(env, cwd, problems)

  const scimToken = secretFrom(env, 'LINJA_SCIM_TOKEN', cwd, problems)
  if (scimToken !== null && (scimToken === tokenSecret || scimToken === tokenSecretPrevious)) {
    problems.push(
      'LINJA_SCIM_TOKEN must differ from the token secret: make a new one (for example `openssl rand -base64 32`)',
    )
  }

  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems)

  const oidc = oidcFrom(env, cwd, problems)

  const { publicUrl, smtp, sms } = sendingFrom(env, problems)

  if (problems.length > 0) throw new ConfigError(problems)
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    staticDir,
    logLevel,
    adminPassword,
    demo: demoFlag === '1',
    demoPassword,
    loginRateLimit,
    tokenSecret,
    tokenSecretPrevious,
    secretsKey,
    tls,
    trustProxy,
    scimToken,
    oidc,
    publicUrl,
    smtp,
    sms,
  }
}

const set = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value.trim() : undefined

/** An http(s) address; plain http only for this machine (tests, a local gateway). */
function webAddress(name: string, value: string, problems: string[]): string | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    problems.push(
      `${name} must be a full address such as https://linja.kommune.no (got "${value}")`,
    )
    return null
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    problems.push(
      `${name} must start with https:// (plain http only for localhost), got "${value}"`,
    )
    return null
  }
  return url.toString()
}

/** PUBLIC_URL, SMTP_URL + SMTP_FROM, SMS_GATEWAY_URL + SMS_GATEWAY_TOKEN + SMS_SENDER (README). */
function sendingFrom(
  env: NodeJS.ProcessEnv,
  problems: string[],
): Pick<ServerConfig, 'publicUrl' | 'smtp' | 'sms'> {
  let publicUrl: string | null = null
  const publicValue = set(env.PUBLIC_URL)
  if (publicValue !== undefined) {
    const url = webAddress('PUBLIC_URL', publicValue, problems)
    if (url !== null) {
      const parsed = new URL(url)
      if (parsed.search !== '' || parsed.hash !== '') {
        problems.push('PUBLIC_URL must be the address Linja is opened at, without ? or #')
      } else {
        publicUrl = url.replace(/\/+$/, '')
      }
    }
  }

  let smtp: ServerConfig['smtp'] = null
  const smtpUrl = set(env.SMTP_URL)
  const smtpFrom = set(env.SMTP_FROM)
  if (smtpUrl !== undefined || smtpFrom !== undefined) {
    if (smtpUrl === undefined || smtpFrom === undefined) {
      problems.push('Set both SMTP_URL and SMTP_FROM to send links by e-mail, or neither')
    } else if (!/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) {
      problems.push('SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465')
    } else if (!/^([^<>]*<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>?$/.test(smtpFrom)) {
      problems.push(
        `SMTP_FROM must be an e-mail address such as "Linja <linja@kommune.no>" (got "${smtpFrom}")`,
      )
    } else {
      smtp = { url: smtpUrl, from: smtpFrom }
    }
  }

  let sms: ServerConfig['sms'] = null
  const smsUrl = set(env.SMS_GATEWAY_URL)
  const smsToken = set(env.SMS_GATEWAY_TOKEN)
  const smsSender = set(env.SMS_SENDER)
  if (smsUrl !== undefined || smsToken !== undefined || smsSender !== undefined) {
    if (smsUrl === undefined || smsToken === undefined || smsSender === undefined) {
      problems.push(
        'Set SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN and SMS_SENDER together to send links by SMS, or none of them',
      )
    } else {
      const url = webAddress('SMS_GATEWAY_URL', smsUrl, problems)
      if (!/^([A-Za-z0-9 ]{1,11}|\+?[0-9]{3,15})$/.test(smsSender)) {
        problems.push(
          'SMS_SENDER must be a name of at most 11 letters and digits, or a phone number',
        )
      } else if (url !== null) {
        sms = { url, token: smsToken, sender: smsSender }
      }
    }
  }

  if ((smtp !== null || sms !== null) && publicUrl === null && publicValue === undefined) {
    problems.push(
      'PUBLIC_URL must be set when SMTP_URL or SMS_GATEWAY_URL is: the address clients open the links at, e.g. https://linja.kommune.no',
    )
  }
  return { publicUrl, smtp, sms }
}

/** NAME or NAME_FILE (not both): at least 32 characters, surrounding whitespace ignored. */
function secretFrom(
  env: NodeJS.ProcessEnv,
  name: string,
  cwd: string,
  problems: string[],
): string | null {
  const direct = env[name] !== undefined && env[name] !== '' ? env[name] : undefined
  const file =
    env[`${name}_FILE`] !== undefined && env[`${name}_FILE`] !== ''
      ? env[`${name}_FILE`]
      : undefined
  if (direct !== undefined && file !== undefined) {
    problems.push(`Set ${name} or ${name}_FILE, not both`)
    return null
  }
  let value: string
  let source: string
  if (file !== undefined) {
    source = `the file named by ${name}_FILE (${file})`
    try {
      value = readFileSync(resolve(cwd, file), 'utf8').trim()
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
      problems.push(
        `${name}_FILE: cannot read ${file} (${code}); check the path and that the server's user may read it`,
      )
      return null
    }
  } else if (direct !== undefined) {
    source = name
    value = direct.trim()
  } else {
    return null
  }
  if (value.length < MIN_SECRET_LENGTH) {
    problems.push(
      `${source} must hold at least ${MIN_SECRET_LENGTH} characters (for example from \`openssl rand -base64 32\`)`,
    )
    return null
  }
  return value
}

/** LINJA_TLS_CERT_FILE and LINJA_TLS_KEY_FILE together, or neither. */
function tlsFrom(
  env: NodeJS.ProcessEnv,
  cwd: string,
  problems: string[],
): { cert: string; key: string } | null {
  const certFile = env.LINJA_TLS_CERT_FILE || undefined
  const keyFile = env.LINJA_TLS_KEY_FILE || undefined
  if (certFile === undefined && keyFile === undefined) return null
  if (certFile === undefined || keyFile === undefined) {
    problems.push(
      'Set both LINJA_TLS_CERT_FILE and LINJA_TLS_KEY_FILE, or neither (plain HTTP behind a TLS proxy)',
    )
    return null
  }
  const read = (name: string, file: string): string | null => {
    try {
      return readFileSync(resolve(cwd, file), 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
      problems.push(`${name}: cannot read ${file} (${code})`)
      return null
    }
  }
  const cert = read('LINJA_TLS_CERT_FILE', certFile)
  const key = read('LINJA_TLS_KEY_FILE', keyFile)
  return cert !== null && key !== null ? { cert, key } : null
}

/** proxy-addr's names for whole address ranges, accepted as they are. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal']

function parseTrustProxy(value: string | undefined, problems: string[]): string[] {
  if (value === undefined || value.trim() === '') return []
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
  const bad = entries.filter((entry) => {
    if (PROXY_RANGE_NAMES.includes(entry)) return false
    const [address = '', prefix, extra] = entry.split('/')
    const family = isIP(address)
    if (family === 0 || extra !== undefined) return true
    if (prefix === undefined) return false
    const bits = Number(prefix)
    return !/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)
  })
  if (bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be a comma-separated list of proxy addresses or CIDR ranges (e.g. 10.0.0.5,192.168.1.0/24) or loopback; not an address: ${bad.map((b) => `"${b}"`).join(', ')}`,
    )
  }
  return entries
}
