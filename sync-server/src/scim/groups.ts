// SCIM Groups: the directory's groups and their members (scim_groups, scim_group_members); membership gives roles and units through the group mapping.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Static } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { applyDirectoryAccess } from '../accounts/directory-groups.ts'
import type { Database } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import type { GroupPatch } from './patch.ts'
import { type GroupResource, URN } from './schemas.ts'
import type { ScimActor } from './users.ts'

type GroupView = Static<typeof GroupResource>

export async function groupViews(
  db: Kysely<Database>,
  ids: readonly string[],
  withMembers: boolean,
): Promise<GroupView[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('scim_groups')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute()
  const members = withMembers
    ? await db
        .selectFrom('scim_group_members')
        .innerJoin('people', 'people.id', 'scim_group_members.person_id')
        .select(['scim_group_members.group_id', 'people.id', 'people.display_name'])
        .where('scim_group_members.group_id', 'in', [...ids])
        .orderBy('people.id')
        .execute()
    : []
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    return [
      {
        schemas: [URN.group],
        id: r.id,
        ...(r.external_id !== null ? { externalId: r.external_id } : {}),
        displayName: r.display_name,
        ...(withMembers
          ? {
              members: members
                .filter((m) => m.group_id === id)
                .map((m) => ({ value: m.id, display: m.display_name })),
            }
          : {}),
        meta: {
          resourceType: 'Group',
          created: r.created_at,
          lastModified: r.updated_at,
          location: `/scim/v2/Groups/${r.id}`,
        },
      },
    ]
  })
}

export async function findGroupIds(
  db: Kysely<Database>,
  filter: { attribute: string; value: string } | null,
): Promise<string[]> {
  let q = db.selectFrom('scim_groups').select('id').orderBy('created_at').orderBy('id')
  if (filter?.attribute === 'displayname') q = q.where('display_name', '=', filter.value)
  else if (filter?.attribute === 'externalid') q = q.where('external_id', '=', filter.value)
  else if (filter?.attribute === 'id') q = q.where('id', '=', filter.value)
  return (await q.execute()).map((r) => r.id)
}

/** Refuses members that are no SCIM user (the whole request then changes nothing). */
async function checkMembers(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return
  const known = await db
    .selectFrom('scim_users')
    .select('person_id')
    .where('person_id', 'in', unique)
    .execute()
  if (known.length !== unique.length) {
    const found = new Set(known.map((k) => k.person_id))
    const missing = unique.filter((id) => !found.has(id))
    throw new Refusal(400, 'invalidValue', `No user with id ${missing.slice(0, 3).join(', ')}.`)
  }
}

async function checkExternalId(db: Kysely<Database>, externalId: string | null, selfId: string) {
  if (externalId === null) return
  const other = await db
    .selectFrom('scim_groups')
    .select('id')
    .where('external_id', '=', externalId)
    .where('id', '!=', selfId)
    .executeTakeFirst()
  if (other) throw new Refusal(409, 'uniqueness', 'Another group already has this externalId.')
}

async function membersOf(db: Kysely<Database>, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('scim_group_members')
    .select('person_id')
    .where('group_id', '=', groupId)
    .execute()
  return rows.map((r) => r.person_id)
}

/**
 * Gives each person exactly the roles and units their groups map to (applyDirectoryAccess: no
 * mapped group left deactivates them). A group is known to the mapping by its directory object
 * id (externalId; Linja's id when the directory sent none), as in the sign-in's groups claim.
 */
export async function reapplyAccess(
  db: Kysely<Database>,
  personIds: readonly string[],
  actor: ScimActor,
): Promise<void> {
  for (const personId of new Set(personIds)) {
    const groups = await db
      .selectFrom('scim_group_members')
      .innerJoin('scim_groups', 'scim_groups.id', 'scim_group_members.group_id')
      .select(['scim_groups.id', 'scim_groups.external_id'])
      .where('scim_group_members.person_id', '=', personId)
      .execute()
    await applyDirectoryAccess(
      db,
      personId,
      groups.map((g) => g.external_id ?? g.id),
      { actorId: null, ip: actor.ip, via: 'scim' },
    )
  }
}

export async function createGroup(
  db: Kysely<Database>,
  input: { displayName: string; externalId: string | null; members: string[] },
  actor: ScimActor,
): Promise<string> {
  const id = randomUUID()
  await checkExternalId(db, input.externalId, id)
  await checkMembers(db, input.members)
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('scim_groups')
      .values({
        id,
        display_name: input.displayName,
        external_id: input.externalId,
        created_at: actor.now,
        updated_at: actor.now,
      })
      .execute()
    for (const personId of new Set(input.members))
      await trx
        .insertInto('scim_group_members')
        .values({ group_id: id, person_id: personId })
        .execute()
  })
  await audit(db, {
    actorId: null,
    action: 'scim_group_created',
    target: id,
    ip: actor.ip,
    details: { members: new Set(input.members).size },
  })
  await reapplyAccess(db, input.members, actor)
  return id
}

/** PATCH or PUT of a group; members whose membership changed get their access set again. */
export async function changeGroup(
  db: Kysely<Database>,
  id: string,
  patch: GroupPatch,
  actor: ScimActor,
): Promise<void> {
  if (patch.externalId !== undefined) await checkExternalId(db, patch.externalId, id)
  const before = await membersOf(db, id)
  let after = patch.removeAllMembers ? [] : (patch.replaceMembers ?? before)
  after = [...new Set([...after, ...patch.addMembers])].filter(
    (m) => !patch.removeMembers.includes(m),
  )
  const added = after.filter((m) => !before.includes(m))
  const removed = before.filter((m) => !after.includes(m))
  await checkMembers(db, added)
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('scim_groups')
      .set({
        updated_at: actor.now,
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.externalId !== undefined ? { external_id: patch.externalId } : {}),
      })
      .where('id', '=', id)
      .execute()
    if (removed.length > 0)
      await trx
        .deleteFrom('scim_group_members')
        .where('group_id', '=', id)
        .where('person_id', 'in', removed)
        .execute()
    for (const personId of added)
      await trx
        .insertInto('scim_group_members')
        .values({ group_id: id, person_id: personId })
        .execute()
  })
  await audit(db, {
    actorId: null,
    action: 'scim_group_changed',
    target: id,
    ip: actor.ip,
    details: { added: added.length, removed: removed.length },
  })
  // A new externalId maps differently: everyone in the group is looked at again.
  await reapplyAccess(
    db,
    patch.externalId !== undefined ? [...before, ...added] : [...added, ...removed],
    actor,
  )
}

export async function deleteGroup(
  db: Kysely<Database>,
  id: string,
  actor: ScimActor,
): Promise<void> {
  const members = await membersOf(db, id)
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('scim_group_members').where('group_id', '=', id).execute()
    await trx.deleteFrom('scim_groups').where('id', '=', id).execute()
  })
  await audit(db, { actorId: null, action: 'scim_group_deleted', target: id, ip: actor.ip })
  await reapplyAccess(db, members, actor)
}
