// The key that seals secrets the server must keep in the database (directory recovery secrets):
// from LINJA_SECRETS_KEY_FILE, or for the embedded SQLite DATA_DIR/secrets-key (0600); never the database itself.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import type { ServerConfig } from '../config.ts'
import type { Database } from '../db/schema.ts'
import { StartupError } from '../startup-error.ts'
import { readOrMakeSecretFile, readSecretFile, type SecretFileWords } from './secret-file.ts'

export const SECRETS_KEY_FILE_NAME = 'secrets-key'
/** The meta row that tells whether a key is the one the database's secrets were sealed with. */
export const SECRETS_KEY_CHECK = 'secrets_key_check'
const SEAL_VERSION = 's1'

export interface SecretsKey {
  /** AES-256-GCM key, derived: the file's text itself never encrypts anything. */
  readonly sealing: Buffer
  /** Stored in meta: proves a key is the right one without revealing anything about it. */
  readonly check: string
}

export function secretsKeyFrom(text: string): SecretsKey {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', text, 'linja', info, 32))
  return {
    sealing: derive('sealed-secrets'),
    check: derive('secrets-key-check').toString('base64url'),
  }
}

/**
 * `plain` sealed for the database. `context` (e.g. the row's person id) is bound in, so a sealed
 * value copied into another row does not open there.
 */
export function seal(key: SecretsKey, plain: string, context: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key.sealing, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `${SEAL_VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`
}

/** The plain secret; throws when the value was not sealed by this key for this context. */
export function open(key: SecretsKey, sealed: string, context: string): string {
  const [version, iv, body] = sealed.split('.')
  if (version !== SEAL_VERSION || !iv || !body) throw new Error('not a sealed secret')
  const data = Buffer.from(body, 'base64url')
  const decipher = createDecipheriv('aes-256-gcm', key.sealing, Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(context, 'utf8'))
  decipher.setAuthTag(data.subarray(data.length - 16))
  return Buffer.concat([
    decipher.update(data.subarray(0, data.length - 16)),
    decipher.final(),
  ]).toString('utf8')
}

const FILE_WORDS: SecretFileWords = {
  what: 'secrets key',
  whenDamaged:
    'put the right key file back (from where it is kept apart from the database backups), or set LINJA_SECRETS_KEY_FILE to it',
}

const WRONG_KEY =
  "The secrets key (LINJA_SECRETS_KEY_FILE, or DATA_DIR/secrets-key when it is unset) is not the key this database's secrets were sealed with. Set LINJA_SECRETS_KEY_FILE to the right key file (kept apart from the database backups) and start again; if it is lost for good, see docs/security.md (a lost secrets key)"

/**
 * The key for this database, checked against the one its secrets were sealed with. Called before
 * the migrations (which seal with it) and after them; a wrong or missing key stops the start.
 */
export async function secretsKeyFor(
  db: Kysely<Database>,
  config: Pick<ServerConfig, 'secretsKey' | 'dataDir' | 'databaseUrl'>,
): Promise<SecretsKey> {
  const stored = await storedCheck(db)
  let text = config.secretsKey
  if (text === null) {
    if (config.databaseUrl) {
      // loadConfig refuses this already; a second guard keeps the key out of a shared database.
      throw new StartupError('With DATABASE_URL set LINJA_SECRETS_KEY_FILE')
    }
    const path = join(config.dataDir, SECRETS_KEY_FILE_NAME)
    if (stored === null) {
      text = readOrMakeSecretFile(path, FILE_WORDS)
    } else {
      text = readSecretFile(path, FILE_WORDS)
      // Made anew here, it could never open what the old one sealed.
      if (text === null)
        throw new StartupError(
          `The secrets key file ${path} is missing, but this database was started with it and its secrets are sealed with it. Put the file back (from where it is kept apart from the database backups), or set LINJA_SECRETS_KEY_FILE to it, and start again; if it is lost for good, see docs/security.md (a lost secrets key)`,
        )
    }
  }
  const key = secretsKeyFrom(text)
  if (stored !== null && stored !== key.check) throw new StartupError(WRONG_KEY)
  return key
}

/** After the migrations: records the key's check on a new database, and checks it again. */
export async function recordSecretsKey(db: Kysely<Database>, key: SecretsKey): Promise<void> {
  await db
    .insertInto('meta')
    .values({ key: SECRETS_KEY_CHECK, value: key.check })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  // Another instance may have recorded its own key a moment before.
  const stored = await storedCheck(db)
  if (stored === null || stored !== key.check) throw new StartupError(WRONG_KEY)
}

/** The stored check, or null on a new database (no meta table yet, or no row). */
async function storedCheck(db: Kysely<Database>): Promise<string | null> {
  const exists = await sql<{ n: number }>`select 1 as n from meta where 1 = 0`.execute(db).then(
    () => true,
    () => false,
  )
  if (!exists) return null
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', SECRETS_KEY_CHECK)
    .executeTakeFirst()
  return row?.value ?? null
}
