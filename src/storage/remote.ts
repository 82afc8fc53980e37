// Records that came from the sync server, sealed into IndexedDB without outbox entries; a local change not yet sent wins.
import { getAdministration } from './administration-queries.ts'
import type { LinjaDb } from './db.ts'
import type {
  OutboxEntity,
  OutboxRow,
  StoredAdministration,
  StoredClient,
  StoredEpisode,
} from './records.ts'
import {
  type AdministrationRow,
  type ClientRow,
  type EpisodeRow,
  encodeAdministration,
  encodeClient,
  encodeEpisode,
} from './sealing.ts'
import { bumpGeneration, writeTransaction } from './write.ts'

/** One record as the server sends it (a PulledChange of src/core/sync-protocol.ts), not yet checked. */
export interface RemoteChange {
  entity: OutboxEntity
  id: string
  voided: boolean
  supersededBy: string | null
  /** 'read': a supervisee's record the person may read but not change. Absent means 'write'. */
  access?: 'write' | 'read'
  /** The server's JSON: checked against the entity's record schema before anything is stored. */
  payload: unknown
}

/** A pulled record that did not match its schema: not stored, and said (never its content). */
export interface RefusedChange {
  entity: OutboxEntity
  id: string
  problem: string
}

export interface RemoteApplyResult {
  /** Records written. */
  applied: number
  /** Records left alone because the device still has an unsent change to them. */
  kept: number
  /** Changes whose payload did not name the record they came with. */
  ignored: number
  /** Changes whose record has a shape this app does not know (src/core/record-schemas.ts). */
  refused: RefusedChange[]
}

type CheckedChange = Omit<RemoteChange, 'entity' | 'payload'> &
  (
    | { entity: 'client'; payload: StoredClient }
    | { entity: 'episode'; payload: StoredEpisode }
    | { entity: 'administration'; payload: StoredAdministration }
  )

/** Ids the outbox still has to send, including the bases of pending corrections (they point at the new version). */
function protectedIds(pending: readonly OutboxRow[]): Set<string> {
  const ids = new Set<string>()
  for (const entry of pending) {
    ids.add(entry.entityId)
    if (entry.baseVersion !== undefined) ids.add(entry.baseVersion)
  }
  return ids
}

type EncodedRow =
  | { table: 'clients'; row: ClientRow }
  | { table: 'episodes'; row: EpisodeRow }
  | { table: 'administrations'; row: AdministrationRow }

async function encodeChange(db: LinjaDb, change: CheckedChange): Promise<EncodedRow> {
  if (change.entity === 'client') {
    const { readOnly: _ignored, ...client } = change.payload
    const record: StoredClient =
      change.access === 'read' ? { ...client, readOnly: true as const } : client
    return { table: 'clients', row: await encodeClient(db, record) }
  }
  if (change.entity === 'episode') {
    return { table: 'episodes', row: await encodeEpisode(db, change.payload) }
  }
  return {
    table: 'administrations',
    row: await encodeAdministration(db, { ...change.payload, supersededBy: change.supersededBy }),
  }
}

/**
 * Sorts pulled changes into those that may be stored and those refused. The checker is loaded
 * on the first pull, so the schema library stays out of the bundle that starts client mode.
 */
async function checkChanges(changes: readonly RemoteChange[], result: RemoteApplyResult) {
  const { isRecordOf, recordProblem } = await import('../core/record-check.ts')
  const valid: CheckedChange[] = []
  for (const change of changes) {
    const { payload } = change
    const checked: CheckedChange | null =
      change.entity === 'client' && isRecordOf('client', payload)
        ? { ...change, entity: 'client', payload }
        : change.entity === 'episode' && isRecordOf('episode', payload)
          ? { ...change, entity: 'episode', payload }
          : change.entity === 'administration' && isRecordOf('administration', payload)
            ? { ...change, entity: 'administration', payload }
            : null
    if (checked === null) {
      const problem = recordProblem(change.entity, payload) ?? 'does not match'
      result.refused.push({ entity: change.entity, id: change.id, problem })
    } else if (checked.payload.id !== change.id) result.ignored += 1
    else valid.push(checked)
  }
  return valid
}

/**
 * Upserts pulled records in ONE transaction and writes no outbox entries; a record that does not
 * match its schema is not stored and is listed in `refused` (they are the server's
 * already). A record with an unsent outbox entry is not touched: the local change wins until it
 * has been pushed, and the server's answer to it comes back in a later pull. The rows are sealed
 * before the transaction opens.
 */
export async function applyRemoteChanges(
  db: LinjaDb,
  changes: readonly RemoteChange[],
): Promise<RemoteApplyResult> {
  const result: RemoteApplyResult = { applied: 0, kept: 0, ignored: 0, refused: [] }
  if (changes.length === 0) return result
  const valid = await checkChanges(changes, result)
  const encoded = await Promise.all(valid.map((c) => encodeChange(db, c)))
  return writeTransaction(
    db,
    [db.clients, db.episodes, db.administrations, db.outbox, db.meta],
    async () => {
      const keep = protectedIds(await db.outbox.toArray())
      for (const [i, change] of valid.entries()) {
        const item = encoded[i]
        if (!item) continue
        if (keep.has(change.id)) {
          result.kept += 1
          continue
        }
        if (item.table === 'clients') await db.clients.put(item.row)
        else if (item.table === 'episodes') await db.episodes.put(item.row)
        else await db.administrations.put(item.row)
        result.applied += 1
      }
      await bumpGeneration(db)
      return result
    },
  )
}

/**
 * For a plannedWrite: takes out a local administration version the server refused for good (a
 * correction that lost a conflict, a rejected form). Call it only after its copy was saved where
 * the person sees it. A base that pointed at the removed version points at nothing again until
 * the next pull. The write does nothing while an outbox entry for the version still waits.
 */
export async function planRemoveRefused(db: LinjaDb, id: string): Promise<() => Promise<boolean>> {
  const record = await getAdministration(db, id)
  if (!record) return async () => false
  const base =
    record.supersedes === null ? undefined : await getAdministration(db, record.supersedes)
  const baseRow =
    base && base.supersededBy === id
      ? await encodeAdministration(db, { ...base, supersededBy: null })
      : null
  return async () => {
    const stillPending = await db.outbox
      .where('[entity+entityId]')
      .equals(['administration', id])
      .count()
    if (stillPending > 0 || (await db.administrations.get(id)) === undefined) return false
    await db.administrations.delete(id)
    // Planned before the transaction: the base may have been removed since, by an earlier
    // removal in the same transaction (a refused chain); it must not come back.
    if (baseRow && (await db.administrations.get(baseRow.id))) {
      await db.administrations.put(baseRow)
    }
    return true
  }
}
