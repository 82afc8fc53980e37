// Records that came from the sync server, written into IndexedDB without outbox entries; a local change not yet sent wins.
import type { LinjaDb } from './db.ts'
import type {
  OutboxEntity,
  OutboxEntry,
  StoredAdministration,
  StoredClient,
  StoredEpisode,
} from './records.ts'
import { writeTransaction } from './write.ts'

/** One record as the server sends it (a PulledChange of src/core/sync-protocol.ts). */
export interface RemoteChange {
  entity: OutboxEntity
  id: string
  voided: boolean
  supersededBy: string | null
  /** 'read': a supervisee's record the person may read but not change. Absent means 'write'. */
  access?: 'write' | 'read'
  payload: Readonly<Record<string, unknown>>
}

export interface RemoteApplyResult {
  /** Records written. */
  applied: number
  /** Records left alone because the device still has an unsent change to them. */
  kept: number
  /** Changes whose payload did not name the record they came with. */
  ignored: number
}

/** Ids the outbox still has to send, including the bases of pending corrections (they point at the new version). */
function protectedIds(pending: readonly OutboxEntry[]): Set<string> {
  const ids = new Set<string>()
  for (const entry of pending) {
    ids.add(entry.entityId)
    if (entry.baseVersion !== undefined) ids.add(entry.baseVersion)
  }
  return ids
}

/**
 * Upserts pulled records in ONE transaction and writes no outbox entries (they are the server's
 * already). A record with an unsent outbox entry is not touched: the local change wins until it
 * has been pushed, and the server's answer to it comes back in a later pull.
 */
export async function applyRemoteChanges(
  db: LinjaDb,
  changes: readonly RemoteChange[],
): Promise<RemoteApplyResult> {
  const result: RemoteApplyResult = { applied: 0, kept: 0, ignored: 0 }
  if (changes.length === 0) return result
  return writeTransaction(
    db,
    [db.clients, db.episodes, db.administrations, db.outbox],
    async () => {
      const keep = protectedIds(await db.outbox.toArray())
      for (const change of changes) {
        if (change.payload.id !== change.id) {
          result.ignored += 1
          continue
        }
        if (keep.has(change.id)) {
          result.kept += 1
          continue
        }
        if (change.entity === 'client') {
          const { readOnly: _ignored, ...client } = change.payload as unknown as StoredClient
          await db.clients.put(
            change.access === 'read' ? { ...client, readOnly: true } : (client as StoredClient),
          )
        } else if (change.entity === 'episode') {
          await db.episodes.put(change.payload as unknown as StoredEpisode)
        } else {
          const record = change.payload as unknown as StoredAdministration
          await db.administrations.put({ ...record, supersededBy: change.supersededBy })
        }
        result.applied += 1
      }
      return result
    },
  )
}

/**
 * Removes a local administration version the server refused for good (a correction that lost a
 * conflict, a rejected form). Call it only after its copy was saved where the person sees it.
 * A base that pointed at the removed version points at nothing again until the next pull.
 */
export async function removeRefusedAdministration(db: LinjaDb, id: string): Promise<boolean> {
  return writeTransaction(db, [db.administrations, db.outbox], async () => {
    const record = await db.administrations.get(id)
    if (!record) return false
    const stillPending = await db.outbox
      .where('[entity+entityId]')
      .equals(['administration', id])
      .count()
    if (stillPending > 0) return false
    await db.administrations.delete(id)
    if (record.supersedes !== null) {
      const base = await db.administrations.get(record.supersedes)
      if (base && base.supersededBy === id) {
        await db.administrations.put({ ...base, supersededBy: null })
      }
    }
    return true
  })
}
