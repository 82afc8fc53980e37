// People, their roles, unit memberships and supervision links in the server database.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { ROLES, type Role } from '../../../src/core/sync-protocol.ts'
import { hashPassword } from '../auth/passwords.ts'
import { nowIso } from '../context.ts'
import type { Database } from '../db/schema.ts'

export interface PersonView {
  id: string
  username: string
  displayName: string
  roles: Role[]
  active: boolean
  unitIds: string[]
  /** Who supervises this person (supervision links). */
  supervisorIds: string[]
  /** Enrolled in two-factor sign-in (an authenticator app). */
  twoFactor: boolean
}

export interface NewPerson {
  username: string
  displayName: string
  password: string
  roles: readonly Role[]
  unitIds?: readonly string[]
  id?: string
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export async function rolesOf(db: Kysely<Database>, personId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('person_roles')
    .select('role')
    .where('person_id', '=', personId)
    .execute()
  return rolesFrom(rows.map((r) => r.role))
}

/** A person's roles from their person_roles rows (null from an outer join with none), sorted. */
export function rolesFrom(values: readonly (string | null)[]): Role[] {
  return values
    .filter((v): v is string => v !== null)
    .filter(isRole)
    .sort()
}

export async function createPerson(db: Kysely<Database>, input: NewPerson): Promise<string> {
  const id = input.id ?? randomUUID()
  const passwordHash = await hashPassword(input.password)
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('people')
      .values({
        id,
        username: input.username.toLowerCase(),
        display_name: input.displayName,
        password_hash: passwordHash,
        active: 1,
        created_at: nowIso(),
      })
      .execute()
    for (const role of new Set(input.roles)) {
      await trx.insertInto('person_roles').values({ person_id: id, role }).execute()
    }
    for (const unitId of new Set(input.unitIds ?? [])) {
      await trx.insertInto('unit_members').values({ unit_id: unitId, person_id: id }).execute()
    }
  })
  return id
}

export async function listPeople(db: Kysely<Database>): Promise<PersonView[]> {
  const people = await db.selectFrom('people').selectAll().orderBy('username').execute()
  const roles = await db.selectFrom('person_roles').selectAll().execute()
  const units = await db.selectFrom('unit_members').selectAll().execute()
  const links = await db.selectFrom('supervision').selectAll().execute()
  return people.map((p) => ({
    id: p.id,
    username: p.username,
    displayName: p.display_name,
    active: p.active === 1,
    twoFactor: p.totp_secret !== null,
    accessEndsAt: p.access_ends_at,
    deactivatedAt: p.active === 1 ? null : p.deactivated_at,
    roles: roles
      .filter((r) => r.person_id === p.id)
      .map((r) => r.role)
      .filter(isRole)
      .sort(),
    unitIds: units
      .filter((u) => u.person_id === p.id)
      .map((u) => u.unit_id)
      .sort(),
    supervisorIds: links
      .filter((l) => l.practitioner_id === p.id)
      .map((l) => l.supervisor_id)
      .sort(),
  }))
}

export async function supervisees(db: Kysely<Database>, supervisorId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('supervision')
    .select('practitioner_id')
    .where('supervisor_id', '=', supervisorId)
    .execute()
  return rows.map((r) => r.practitioner_id)
}
