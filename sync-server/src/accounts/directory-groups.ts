// Access from the municipality's directory: provider groups mapped to roles and units (directory_group_roles), applied to directory people.
import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { ROLES, type Role } from '../../../src/core/sync-protocol.ts'
import type { Database } from '../db/schema.ts'
import { audit } from './audit.ts'
import { deactivatePerson } from './deactivation.ts'
import { rolesOf } from './people.ts'

export interface MappedAccess {
  roles: Role[]
  unitIds: string[]
}

export interface GroupMapping {
  id: string
  groupId: string
  role: Role
  unitId: string | null
}

/** Who changed a person's access, for the audit log (null actor: the directory itself). */
export interface DirectoryActor {
  actorId: string | null
  ip?: string | null
  /** What carried the change: a sign-in, a SCIM call, an administrator. */
  via: 'oidc' | 'scim' | 'admin'
}

/** A directory person has no Linja password: this never matches any (verifyPassword refuses it). */
export const NO_PASSWORD = '!directory'

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

export async function listGroupMappings(db: Kysely<Database>): Promise<GroupMapping[]> {
  const rows = await db
    .selectFrom('directory_group_roles')
    .selectAll()
    .orderBy('group_id')
    .orderBy('role')
    .orderBy('created_at')
    .execute()
  return rows.flatMap((r) =>
    isRole(r.role) ? [{ id: r.id, groupId: r.group_id, role: r.role, unitId: r.unit_id }] : [],
  )
}

/** Adds a mapping row; an identical row already there is returned instead of a second one. */
export async function addGroupMapping(
  db: Kysely<Database>,
  input: { groupId: string; role: Role; unitId: string | null },
): Promise<{ mapping: GroupMapping; created: boolean }> {
  const existing = (await listGroupMappings(db)).find(
    (m) => m.groupId === input.groupId && m.role === input.role && m.unitId === input.unitId,
  )
  if (existing) return { mapping: existing, created: false }
  const id = randomUUID()
  await db
    .insertInto('directory_group_roles')
    .values({
      id,
      group_id: input.groupId,
      role: input.role,
      unit_id: input.unitId,
      created_at: new Date().toISOString(),
    })
    .execute()
  return { mapping: { id, ...input }, created: true }
}

/**
 * The roles and units the mapped groups among `groupIds` give, or null when none of them is
 * mapped (the person gets no access: refused at sign-in, deactivated when already known).
 */
export async function mappedAccess(
  db: Kysely<Database>,
  groupIds: readonly string[],
): Promise<MappedAccess | null> {
  if (groupIds.length === 0) return null
  const rows = await db
    .selectFrom('directory_group_roles')
    .select(['role', 'unit_id'])
    .where('group_id', 'in', [...new Set(groupIds)])
    .execute()
  const roles = new Set(rows.map((r) => r.role).filter(isRole))
  if (roles.size === 0) return null
  const unitIds = new Set(rows.flatMap((r) => (r.unit_id === null ? [] : [r.unit_id])))
  return { roles: [...roles].sort(), unitIds: [...unitIds].sort() }
}

async function unitsOf(db: Kysely<Database>, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('unit_members')
    .select('unit_id')
    .where('person_id', '=', personId)
    .execute()
  return rows.map((r) => r.unit_id).sort()
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i])

async function setAccess(trx: Transaction<Database>, personId: string, access: MappedAccess) {
  await trx.deleteFrom('person_roles').where('person_id', '=', personId).execute()
  for (const role of access.roles)
    await trx.insertInto('person_roles').values({ person_id: personId, role }).execute()
  await trx.deleteFrom('unit_members').where('person_id', '=', personId).execute()
  for (const unitId of access.unitIds)
    await trx.insertInto('unit_members').values({ unit_id: unitId, person_id: personId }).execute()
}

export interface AppliedAccess extends MappedAccess {
  /** False when no mapped group is left: the person was deactivated (or already was). */
  active: boolean
  changed: boolean
}

/**
 * Sets a directory person's roles and units to exactly what their mapped groups give (audited).
 * No access at all deactivates them as an administrator's deactivation does: every device
 * session ends and the tablets wipe this person's data at their next contact. A deactivated
 * person is never reactivated here: only an administrator does that.
 */
export async function applyDirectoryAccess(
  db: Kysely<Database>,
  personId: string,
  groupIds: readonly string[],
  actor: DirectoryActor,
): Promise<AppliedAccess> {
  const access = await mappedAccess(db, groupIds)
  const person = await db
    .selectFrom('people')
    .select('active')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow()
  const before = { roles: await rolesOf(db, personId), unitIds: await unitsOf(db, personId) }
  if (access === null) {
    const wasActive = person.active === 1
    if (wasActive) await deactivatePerson(db, personId, new Date().toISOString())
    await db.transaction().execute((trx) => setAccess(trx, personId, { roles: [], unitIds: [] }))
    if (wasActive || before.roles.length > 0 || before.unitIds.length > 0)
      await audit(db, {
        actorId: actor.actorId,
        action: 'person_deactivated',
        target: personId,
        ip: actor.ip ?? null,
        details: { via: actor.via, reason: 'no_mapped_group' },
      })
    return { roles: [], unitIds: [], active: false, changed: wasActive }
  }
  const changed = !same(before.roles, access.roles) || !same(before.unitIds, access.unitIds)
  if (changed) {
    await db.transaction().execute((trx) => setAccess(trx, personId, access))
    await audit(db, {
      actorId: actor.actorId,
      action: 'directory_access_changed',
      target: personId,
      ip: actor.ip ?? null,
      details: { via: actor.via, roles: access.roles.join(','), units: access.unitIds.length },
    })
  }
  return { ...access, active: person.active === 1, changed }
}

export interface DirectoryPersonInput {
  directoryId: string
  username: string
  displayName: string
  email: string | null
}

/**
 * The person with this directory id, made (just in time) when new: a directory person with no
 * Linja password and, until applyDirectoryAccess, no roles. Name and e-mail follow the directory.
 * A username already taken by someone else gets the first free `-2`, `-3`… suffix.
 */
export async function upsertDirectoryPerson(
  db: Kysely<Database>,
  input: DirectoryPersonInput,
): Promise<{ id: string; created: boolean }> {
  const found = await db
    .selectFrom('people')
    .select(['id', 'display_name', 'email'])
    .where('directory_id', '=', input.directoryId)
    .executeTakeFirst()
  if (found) {
    if (found.display_name !== input.displayName || found.email !== input.email)
      await db
        .updateTable('people')
        .set({ display_name: input.displayName, email: input.email })
        .where('id', '=', found.id)
        .execute()
    return { id: found.id, created: false }
  }
  const base = usernameFrom(input.username)
  const taken = new Set(
    (
      await db
        .selectFrom('people')
        .select('username')
        .where('username', 'like', `${base}%`)
        .execute()
    ).map((r) => r.username),
  )
  let username = base
  for (let n = 2; taken.has(username); n++) username = `${base}-${n}`
  const id = randomUUID()
  try {
    await insertDirectoryPerson(db, id, username, input)
  } catch (error) {
    // Two first sign-ins of one person at once: the other made the row (unique directory_id).
    const other = await db
      .selectFrom('people')
      .select('id')
      .where('directory_id', '=', input.directoryId)
      .executeTakeFirst()
    if (other) return { id: other.id, created: false }
    throw error
  }
  return { id, created: true }
}

/** Linja's username pattern from a directory name (`kari.nordmann@kommune.no` → `kari.nordmann`). */
export function usernameFrom(name: string): string {
  const local = name.toLowerCase().split('@')[0] ?? ''
  const cleaned = local
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 56)
  return cleaned === '' ? 'person' : cleaned
}

async function insertDirectoryPerson(
  db: Kysely<Database>,
  id: string,
  username: string,
  input: DirectoryPersonInput,
): Promise<void> {
  await db
    .insertInto('people')
    .values({
      id,
      username,
      display_name: input.displayName,
      password_hash: NO_PASSWORD,
      active: 1,
      created_at: new Date().toISOString(),
      directory_id: input.directoryId,
      source: 'directory',
      email: input.email,
    })
    .execute()
}
