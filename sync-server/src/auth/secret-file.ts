// Secrets Linja makes for itself at first start (token secret, secrets key): 0600 files in DATA_DIR, never the database.
import { randomBytes } from 'node:crypto'
import { chmodSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'

export const MIN_SECRET_LENGTH = 32

/** What a secret file is called, and what to do when it is damaged, in the words of an error. */
export interface SecretFileWords {
  what: string
  whenDamaged: string
}

/** The secret in `path`, made there first when absent. */
export function readOrMakeSecretFile(path: string, words: SecretFileWords): string {
  const existing = readSecretFile(path, words)
  if (existing !== null) return existing
  // Written whole under a private name, then linked into place: a second instance starting at the
  // same moment either wins the link or reads the complete file, never half of it.
  const temporary = `${path}.${process.pid}.tmp`
  writeFileSync(temporary, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 })
  chmodSync(temporary, 0o600)
  try {
    linkSync(temporary, path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    unlinkSync(temporary)
  }
  const created = readSecretFile(path, words)
  if (created === null) throw new Error(`Could not create the ${words.what} file ${path}`)
  return created
}

/** The secret in `path`, or null when there is no such file. */
export function readSecretFile(path: string, words: SecretFileWords): string | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const secret = text.trim()
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `The ${words.what} file ${path} holds fewer than ${MIN_SECRET_LENGTH} characters: ${words.whenDamaged}`,
    )
  }
  chmodSync(path, 0o600)
  return secret
}
