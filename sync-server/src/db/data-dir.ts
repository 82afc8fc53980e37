// Keeps DATA_DIR private: the folder 0700 and every file Linja keeps in it (database, WAL, SHM, token secret, secrets key) 0600, whatever the umask.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { StartupError } from '../startup-error.ts'

export const DATABASE_FILE = 'linja.sqlite'
const PRIVATE_FILES = [
  DATABASE_FILE,
  `${DATABASE_FILE}-wal`,
  `${DATABASE_FILE}-shm`,
  'token-secret',
  'secrets-key',
]

/** Creates DATA_DIR 0700, or refuses one that other users may read, write or enter. */
export function preparePrivateDataDir(dir: string): void {
  let created: string | undefined
  try {
    created = mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new StartupError(
      `Cannot create DATA_DIR ${dir} (${code}): choose a folder the server's user may create, or create it with "mkdir -m 700 ${dir}"`,
    )
  }
  // mkdir's mode passes through the umask; set it exactly.
  if (created !== undefined) chmodSync(dir, 0o700)
  const mode = statSync(dir).mode & 0o777
  if ((mode & 0o077) !== 0) {
    throw new StartupError(
      `DATA_DIR ${dir} is open to other users (mode ${mode.toString(8).padStart(4, '0')}); it holds health data and the token secret. Run "chmod 700 ${dir}" (and "chmod 600" on the files in it) and start again`,
    )
  }
  // SQLite gives its WAL and SHM files the mode of the database file, so that one is made first.
  const database = join(dir, DATABASE_FILE)
  if (!existsSync(database)) closeSync(openSync(database, 'a', 0o600))
  restrictFiles(dir)
}

/** 0600 on every file Linja keeps in DATA_DIR that exists now (files of an older version were 0644). */
export function restrictFiles(dir: string): void {
  for (const name of PRIVATE_FILES) {
    const path = join(dir, name)
    if (!existsSync(path)) continue
    try {
      chmodSync(path, 0o600)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error'
      throw new StartupError(
        `Cannot make ${path} private (${code}): it must belong to the user the server runs as ("chown" it, then start again)`,
      )
    }
  }
}
