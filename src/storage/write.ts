// Read-write transactions over the Linja IndexedDB tables, with quota failures made typed.
import type { Table } from 'dexie'
import type { LinjaDb } from './db.ts'
import { toStorageError } from './errors.ts'

/**
 * Runs `scope` in ONE read-write Dexie transaction. Inside it await only Dexie calls: an await
 * on anything else (network, crypto) lets IndexedDB commit early. A throw rolls everything back.
 */
export async function writeTransaction<T>(
  db: LinjaDb,
  tables: Table[],
  scope: () => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction('rw', tables, scope)
  } catch (error) {
    throw toStorageError(error)
  }
}
