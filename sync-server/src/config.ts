// Reads and validates the server's environment once at start; a bad value stops the start with a clear message.
import { resolve } from 'node:path'

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
  }
}
