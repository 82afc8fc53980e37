// The list of changes the server did not take (lost corrections, rejected forms), kept in the IndexedDB meta table until the person dismisses them.
import type { OpResult } from '../core/sync-protocol.ts'
import type { LinjaDb, OutboxEntity, OutboxOp, OutboxPayload } from '../storage/index.ts'
import { getMeta, setMeta } from '../storage/index.ts'

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

export async function loadConflicts(db: LinjaDb): Promise<SyncConflict[]> {
  const value = await getMeta<unknown>(db, CONFLICTS_KEY)
  return isConflictList(value) ? value : []
}

/** Adds to the list inside the caller's transaction (scope must include `meta`); one entry per operation. */
export async function appendConflicts(db: LinjaDb, added: readonly SyncConflict[]): Promise<void> {
  if (added.length === 0) return
  const entry = await db.meta.get(CONFLICTS_KEY)
  const current = isConflictList(entry?.value) ? entry.value : []
  const known = new Set(current.map((c) => c.opId))
  const next = [...current, ...added.filter((c) => !known.has(c.opId))]
  await db.meta.put({ key: CONFLICTS_KEY, value: next })
}

export async function dismissConflict(db: LinjaDb, opId: string): Promise<SyncConflict[]> {
  const next = (await loadConflicts(db)).filter((c) => c.opId !== opId)
  await setMeta(db, CONFLICTS_KEY, next)
  return next
}

export function isRefusal(
  result: OpResult,
): result is OpResult & { status: 'conflict' | 'rejected' } {
  return result.status === 'conflict' || result.status === 'rejected'
}
