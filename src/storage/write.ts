// Read-write transactions over the Linja IndexedDB tables, with quota failures made typed, and the write generation kept in meta.
import type { Table } from 'dexie'
import type { LinjaDb } from './db.ts'
import { toStorageError } from './errors.ts'

/** meta key of a counter that every write of a record moves on (see plannedWrite). */
export const GENERATION_KEY = 'storage.generation'
const MAX_ATTEMPTS = 25

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

async function currentGeneration(db: LinjaDb): Promise<number> {
  const value = (await db.meta.get(GENERATION_KEY))?.value
  return typeof value === 'number' ? value : 0
}

/** Inside a write transaction that has `meta`: tells planned writes that records changed. */
export async function bumpGeneration(db: LinjaDb): Promise<void> {
  await db.meta.put({ key: GENERATION_KEY, value: (await currentGeneration(db)) + 1 })
}

class Stale extends Error {}

/**
 * A write whose records must be decrypted, changed and encrypted again. Crypto cannot run inside
 * an IndexedDB transaction, so this is optimistic: `prepare` reads (each read its own
 * transaction), decrypts, decides and encrypts, and returns the write; the write runs in ONE
 * transaction only if no other record write happened since `prepare` began (the generation is
 * read first, so a write between two reads is always seen). Otherwise it starts again.
 * Errors thrown by `prepare` (a wrong argument, a duplicate code) end it at once.
 */
export async function plannedWrite<T>(
  db: LinjaDb,
  tables: Table[],
  prepare: () => Promise<() => Promise<T>>,
): Promise<T> {
  const scope = [...new Map([...tables, db.meta].map((t) => [t.name, t])).values()]
  for (let attempt = 1; ; attempt++) {
    const generation = await currentGeneration(db)
    const write = await prepare()
    try {
      return await writeTransaction(db, scope, async () => {
        if ((await currentGeneration(db)) !== generation) throw new Stale()
        await db.meta.put({ key: GENERATION_KEY, value: generation + 1 })
        return write()
      })
    } catch (error) {
      if (!(error instanceof Stale) || attempt >= MAX_ATTEMPTS) throw error
    }
  }
}
