// Reads and validates the server's environment once at start; a bad value stops the start with a clear message.
import { resolve } from 'node:path'

export interface ServerConfig {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | null
  staticDir: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
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

  if (problems.length > 0) throw new ConfigError(problems)
  return { port, host, dataDir, databaseUrl, staticDir, logLevel }
}
