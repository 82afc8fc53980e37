// Where the access-token signing secret comes from: configuration, or for the embedded SQLite a 0600 file beside the database; never the database itself.
import { join } from 'node:path'
import type { ServerConfig } from '../config.ts'
import { readOrMakeSecretFile } from './secret-file.ts'
import { ACCESS_TOKEN_SECONDS } from './tokens.ts'

export const SECRET_FILE_NAME = 'token-secret'

/**
 * After a rotation the previous secret is accepted this long after start: every token it signed
 * has expired by then, even when the instances were restarted one after another over up to
 * ACCESS_TOKEN_SECONDS. Past it, a leaked old secret signs nothing that is accepted.
 */
export const PREVIOUS_SECRET_GRACE_MS = 2 * ACCESS_TOKEN_SECONDS * 1000

export interface TokenSecrets {
  /** Signs every new access token. */
  current: string
  /** Verifies only, until `previousUntilMs`. */
  previous: string | null
  previousUntilMs: number
}

export function tokenSecrets(
  config: Pick<ServerConfig, 'tokenSecret' | 'tokenSecretPrevious' | 'dataDir' | 'databaseUrl'>,
  startedMs = Date.now(),
): TokenSecrets {
  const current = config.tokenSecret ?? embeddedSecret(config)
  return {
    current,
    previous: config.tokenSecretPrevious,
    previousUntilMs: startedMs + PREVIOUS_SECRET_GRACE_MS,
  }
}

/** The secrets a presented token may be signed with now: the current one, and the previous one while its tokens can still be alive. */
export function acceptedSecrets(secrets: TokenSecrets, nowMs = Date.now()): string[] {
  return secrets.previous !== null && nowMs < secrets.previousUntilMs
    ? [secrets.current, secrets.previous]
    : [secrets.current]
}

function embeddedSecret(config: Pick<ServerConfig, 'dataDir' | 'databaseUrl'>): string {
  if (config.databaseUrl) {
    // loadConfig refuses this already; a second guard keeps a secret out of a shared database for good.
    throw new Error('A token secret must be configured with DATABASE_URL (LINJA_TOKEN_SECRET_FILE)')
  }
  return readOrMakeSecretFile(join(config.dataDir, SECRET_FILE_NAME), {
    what: 'token secret',
    whenDamaged:
      'delete it to have a new one made (everyone signs in again), or put the right secret back',
  })
}
