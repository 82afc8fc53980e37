// The audit log in the database: who did what to whom, from where. Never client codes or scores.
import type { Kysely } from 'kysely'
import type { AuditAction } from '../../../src/core/sync-protocol.ts'
import { nowIso } from '../context.ts'
import type { Database } from '../db/schema.ts'

export { AUDIT_ACTIONS, type AuditAction } from '../../../src/core/sync-protocol.ts'

export interface AuditEntry {
  actorId: string | null
  action: AuditAction
  target?: string | null
  ip?: string | null
  details?: Readonly<Record<string, string | number | boolean | null>>
}

export async function audit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: nowIso(),
      actor_id: entry.actorId,
      action: entry.action,
      target: entry.target ?? null,
      ip: entry.ip ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute()
}
