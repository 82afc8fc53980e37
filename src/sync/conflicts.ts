// The list of changes the server did not take (lost corrections, rejected forms), kept sealed in the IndexedDB meta table until the person dismisses them.
import type { OpResult } from '../core/sync-protocol.ts'
import type { LinjaDb, OutboxEntity, OutboxOp, OutboxPayload } from '../storage/index.ts'
import { encodeMetaValue, getSealedMeta, plannedWrite } from '../storage/index.ts'

export const CONFLICTS_KEY = 'sync.conflicts'

export interface SyncConflict {
  opId: string
  status: 'conflict' | 'rejected'
  entity: OutboxEntity
  entityId: string
  op: OutboxOp
  /** The server's code, e.g. `server_version_wins` or `unknown_episode`. */
  reason: string
  /** For a conflict: the version that won on the server. */
  serverVersion: string | null
  /** The device's change as it was sent: clinical data is never dropped silently. */
  payload: OutboxPayload
  at: string
}

function isConflictList(value: unknown): value is SyncConflict[] {
  return Array.isArray(value)
}

/** The list, opened with the unlocked keys (it holds the refused payloads: clinical data). */
export async function loadConflicts(db: LinjaDb): Promise<SyncConflict[]> {
  const value = await getSealedMeta<unknown>(db, CONFLICTS_KEY)
  return isConflictList(value) ? value : []
}

/**
 * For a plannedWrite: the list with `added` appended (one entry per operation), sealed before
 * the transaction; the returned write stores it. Nothing to write when nothing was added.
 */
export async function planAppendConflicts(
  db: LinjaDb,
  added: readonly SyncConflict[],
): Promise<() => Promise<void>> {
  if (added.length === 0) return async () => undefined
  const current = await loadConflicts(db)
  const known = new Set(current.map((c) => c.opId))
  const next = [...current, ...added.filter((c) => !known.has(c.opId))]
  const sealed = await encodeMetaValue(db, CONFLICTS_KEY, next)
  return async () => {
    await db.meta.put({ key: CONFLICTS_KEY, value: sealed })
  }
}

export async function dismissConflict(db: LinjaDb, opId: string): Promise<SyncConflict[]> {
  return plannedWrite(db, [db.meta], async () => {
    const next = (await loadConflicts(db)).filter((c) => c.opId !== opId)
    const sealed = await encodeMetaValue(db, CONFLICTS_KEY, next)
    return async () => {
      await db.meta.put({ key: CONFLICTS_KEY, value: sealed })
      return next
    }
  })
}

export function isRefusal(
  result: OpResult,
): result is OpResult & { status: 'conflict' | 'rejected' } {
  return result.status === 'conflict' || result.status === 'rejected'
}
