// Access requests in `access_requests`: a unit leader asks for a joiner's account or reports a leaver; the administrator decides.
import type { Kysely } from 'kysely'
import type { Static } from 'typebox'
import type { Database } from '../db/schema.ts'
import type { AccessRequestView as AccessRequestViewSchema } from '../routes/schemas.ts'
import { endOfLastDay } from './leavers.ts'

export type AccessRequestView = Static<typeof AccessRequestViewSchema>

/** Requests, open ones first, then the newest; only those in `unitIds` when given (a leader's units). */
export async function listAccessRequests(
  db: Kysely<Database>,
  unitIds: readonly string[] | null,
  limit = 200,
): Promise<AccessRequestView[]> {
  if (unitIds !== null && unitIds.length === 0) return []
  let q = db
    .selectFrom('access_requests as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('people as by', 'by.id', 'r.requested_by')
    .leftJoin('people as p', 'p.id', 'r.person_id')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.unit_id',
      'u.name as unit_name',
      'r.requested_by',
      'by.display_name as requested_by_name',
      'r.requested_at',
      'r.display_name',
      'r.username',
      'r.email',
      'r.role',
      'r.person_id',
      'p.display_name as person_name',
      'r.last_day',
      'r.decided_at',
    ])
    .orderBy((eb) => eb.case().when('r.status', '=', 'open').then(0).else(1).end())
    .orderBy('r.requested_at', 'desc')
    .limit(limit)
  if (unitIds !== null) q = q.where('r.unit_id', 'in', [...unitIds])
  const rows = await q.execute()
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    unitId: r.unit_id,
    unitName: r.unit_name,
    requestedById: r.requested_by,
    requestedByName: r.requested_by_name,
    requestedAt: r.requested_at,
    displayName: r.display_name,
    username: r.username,
    email: r.email,
    role: r.role,
    personId: r.person_id,
    personName: r.person_name,
    lastDay: r.last_day,
    accessEndsAt: r.kind === 'leaver' && r.last_day !== null ? endOfLastDay(r.last_day) : null,
    decidedAt: r.decided_at,
  }))
}

/** The units a person is a member of (a leader requests for these only). */
export async function unitsOfPerson(db: Kysely<Database>, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('unit_members')
    .innerJoin('units', 'units.id', 'unit_members.unit_id')
    .select('unit_members.unit_id')
    .where('unit_members.person_id', '=', personId)
    .where('units.retired', '=', 0)
    .execute()
  return rows.map((r) => r.unit_id)
}
