// The audit log in the database: who did what to whom, from where. Never client codes or scores.
import type { Kysely } from 'kysely'
import { nowIso } from '../context.ts'
import type { Database } from '../db/schema.ts'

export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'password_changed',
  'person_created',
  'person_deactivated',
  'person_reactivated',
  'person_edited',
  'password_reset',
  'supervision_added',
  'supervision_removed',
  'clients_handed_over',
  'device_revoked',
  'unit_created',
  'unit_renamed',
  'unit_retired',
  'admin_created',
  'export',
  'settings_changed',
  'text_pack_uploaded',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

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
