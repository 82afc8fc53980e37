// Seals the plain rows left in IndexedDB by a version before encryption (schema v2), once a practitioner has unlocked.
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { sealOutboxRow } from './outbox.ts'
import type { StoredAdministration, StoredClient, StoredEpisode } from './records.ts'
import {
  decodeRow,
  encodeAdministration,
  encodeClient,
  encodeEpisode,
  encodeMetaValue,
} from './sealing.ts'
import { plannedWrite } from './write.ts'

/** Meta keys whose plain values hold clinical data: sealed, or (copies of screens) dropped. */
const SEALED_META = ['sync.conflicts'] as const
const DROPPED_META_PREFIX = 'copy:'
/** The PIN hash of versions before encryption: the PIN now wraps the key instead. */
const OLD_PIN_HASH = 'devicePin'

const isPlain = (row: { box?: unknown }) => row.box === undefined

/**
 * Seals every plain row under the unlocked keys, a batch per transaction; rows already sealed are
 * left alone, so an interrupted run simply continues next time. The first practitioner to unlock
 * after the upgrade takes over the data the device held (it had one user before). Nothing is
 * queued: no clinical value changes. Returns how many rows and values were sealed.
 */
export async function sealPlainRows(db: LinjaDb, batchSize = 100): Promise<number> {
  if (!db.keys) throw new StorageError('locked', 'Unlock before sealing.')
  let sealed = 0
  for (;;) {
    const done = await plannedWrite(
      db,
      [db.clients, db.episodes, db.administrations, db.outbox, db.meta],
      async () => {
        const [clients, episodes, administrations, outbox] = await Promise.all([
          db.clients.filter(isPlain).limit(batchSize).toArray(),
          db.episodes.filter(isPlain).limit(batchSize).toArray(),
          db.administrations.filter(isPlain).limit(batchSize).toArray(),
          db.outbox.filter(isPlain).limit(batchSize).toArray(),
        ])
        const rows = {
          clients: await Promise.all(
            clients.map(async (r) =>
              encodeClient(db, (await decodeRow<StoredClient>(db, 'clients', r)) as StoredClient),
            ),
          ),
          episodes: await Promise.all(
            episodes.map(async (r) =>
              encodeEpisode(
                db,
                (await decodeRow<StoredEpisode>(db, 'episodes', r)) as StoredEpisode,
              ),
            ),
          ),
          administrations: await Promise.all(
            administrations.map(async (r) =>
              encodeAdministration(
                db,
                (await decodeRow<StoredAdministration>(
                  db,
                  'administrations',
                  r,
                )) as StoredAdministration,
              ),
            ),
          ),
          outbox: await Promise.all(outbox.map((r) => sealOutboxRow(db, r))),
        }
        const metaRows = await db.meta.toArray()
        const meta = await Promise.all(
          metaRows
            .filter(
              (m) =>
                (SEALED_META as readonly string[]).includes(m.key) &&
                m.value !== null &&
                typeof m.value === 'object' &&
                !('box' in m.value),
            )
            .map(async (m) => ({ key: m.key, value: await encodeMetaValue(db, m.key, m.value) })),
        )
        const dropped = metaRows
          .filter((m) => m.key.startsWith(DROPPED_META_PREFIX) || m.key === OLD_PIN_HASH)
          .filter((m) => m.value !== null && typeof m.value === 'object' && !('box' in m.value))
          .map((m) => m.key)
        const count =
          rows.clients.length +
          rows.episodes.length +
          rows.administrations.length +
          rows.outbox.length +
          meta.length +
          dropped.length
        return async () => {
          await db.clients.bulkPut(rows.clients)
          await db.episodes.bulkPut(rows.episodes)
          await db.administrations.bulkPut(rows.administrations)
          await db.outbox.bulkPut(rows.outbox)
          await db.meta.bulkPut(meta)
          await db.meta.bulkDelete(dropped)
          return count
        }
      },
    )
    sealed += done
    if (done === 0) return sealed
  }
}
