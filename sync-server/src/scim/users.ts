// SCIM Users: directory people (people.source 'directory') with what the directory sent kept in scim_users.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Static } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { deactivatePerson, reactivatePerson } from '../accounts/deactivation.ts'
import { NO_PASSWORD } from '../accounts/directory-groups.ts'
import type { Database } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import { URN, type UserResource } from './schemas.ts'

/** A user's attributes as Linja keeps them (null: not given). */
export interface UserState {
  userName: string
  externalId: string | null
  displayName: string | null
  givenName: string | null
  familyName: string | null
  formatted: string | null
  email: string | null
  active: boolean
}

export interface ScimActor {
  ip: string
  now: string
}

type UserView = Static<typeof UserResource>

/** The name people see in Linja: the directory's display name, else the parts of its name, else the userName. */
function shownName(s: UserState): string {
  const parts = [s.givenName, s.familyName].filter((p): p is string => !!p?.trim()).join(' ')
  const name = s.displayName?.trim() || s.formatted?.trim() || parts || s.userName
  return name.slice(0, 100)
}

export async function readUser(db: Kysely<Database>, id: string): Promise<UserView | undefined> {
  const [view] = await userViews(db, [id])
  return view
}

/** What a SCIM user is made of, in the person's row and the SCIM row beside it. */
const USER_COLUMNS = [
  'people.display_name',
  'people.directory_id',
  'people.email',
  'scim_users.user_name',
  'scim_users.given_name',
  'scim_users.family_name',
  'scim_users.active',
] as const

/** The users with these ids (people with a scim_users row), in the order given. */
export async function userViews(db: Kysely<Database>, ids: readonly string[]): Promise<UserView[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('scim_users')
    .innerJoin('people', 'people.id', 'scim_users.person_id')
    .select([...USER_COLUMNS, 'people.id', 'scim_users.created_at', 'scim_users.updated_at'])
    .where('people.id', 'in', [...ids])
    .execute()
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.flatMap((id) => {
    const r = byId.get(id)
    if (!r) return []
    return [
      {
        schemas: [URN.user],
        id: r.id,
        ...(r.directory_id !== null ? { externalId: r.directory_id } : {}),
        userName: r.user_name,
        displayName: r.display_name,
        name: {
          formatted: r.display_name,
          ...(r.given_name !== null ? { givenName: r.given_name } : {}),
          ...(r.family_name !== null ? { familyName: r.family_name } : {}),
        },
        active: r.active === 1,
        emails: r.email !== null ? [{ value: r.email, type: 'work', primary: true }] : [],
        meta: {
          resourceType: 'User',
          created: r.created_at,
          lastModified: r.updated_at,
          location: `/scim/v2/Users/${r.id}`,
        },
      },
    ]
  })
}

/** The stored state of a user, for PATCH to change and PUT to replace. */
export async function userState(db: Kysely<Database>, id: string): Promise<UserState | undefined> {
  const r = await db
    .selectFrom('scim_users')
    .innerJoin('people', 'people.id', 'scim_users.person_id')
    .select(USER_COLUMNS)
    .where('people.id', '=', id)
    .executeTakeFirst()
  if (!r) return undefined
  return {
    userName: r.user_name,
    externalId: r.directory_id,
    displayName: r.display_name,
    givenName: r.given_name,
    familyName: r.family_name,
    formatted: null,
    email: r.email,
    active: r.active === 1,
  }
}

/** The person's columns a SCIM user's state sets, alike on create, take-over and replace. */
const personColumns = (s: UserState) => ({
  username: s.userName.toLowerCase(),
  display_name: shownName(s),
  directory_id: s.externalId,
  email: s.email,
})

/** The SCIM record's columns a state sets, changed at `now`. */
const scimColumns = (s: UserState, now: string) => ({
  user_name: s.userName,
  given_name: s.givenName,
  family_name: s.familyName,
  active: s.active ? 1 : 0,
  updated_at: now,
})

/** Refuses a userName or externalId another person already has (SCIM's `uniqueness`). */
async function checkUnique(db: Kysely<Database>, s: UserState, selfId: string | null) {
  const clash = await db
    .selectFrom('people')
    .select(['id', 'username', 'directory_id'])
    .where((eb) =>
      eb.or([
        eb('username', '=', s.userName.toLowerCase()),
        ...(s.externalId !== null ? [eb('directory_id', '=', s.externalId)] : []),
      ]),
    )
    .execute()
  const other = clash.find((c) => c.id !== selfId)
  if (other) {
    const what = other.username === s.userName.toLowerCase() ? 'userName' : 'externalId'
    throw new Refusal(409, 'uniqueness', `Another account already has this ${what}.`)
  }
}

/**
 * A new SCIM user. A directory person Linja already knows without SCIM (made at their first
 * OpenID Connect sign-in, or a user SCIM deleted earlier) is taken over when the externalId or
 * userName matches, so one person never gets two accounts.
 */
export async function createUser(
  db: Kysely<Database>,
  s: UserState,
  actor: ScimActor,
): Promise<string> {
  const known = await db
    .selectFrom('people')
    .leftJoin('scim_users', 'scim_users.person_id', 'people.id')
    .select(['people.id', 'people.active', 'scim_users.person_id as scimId'])
    .where('people.source', '=', 'directory')
    .where((eb) =>
      eb.or([
        eb('people.username', '=', s.userName.toLowerCase()),
        ...(s.externalId !== null ? [eb('people.directory_id', '=', s.externalId)] : []),
      ]),
    )
    .execute()
  const takeOver = known.length === 1 && known[0]?.scimId === null ? known[0] : undefined
  const id = takeOver?.id ?? randomUUID()
  await checkUnique(db, s, takeOver?.id ?? null)
  await db.transaction().execute(async (trx) => {
    if (takeOver) {
      await trx.updateTable('people').set(personColumns(s)).where('id', '=', id).execute()
    } else {
      await trx
        .insertInto('people')
        .values({
          id,
          ...personColumns(s),
          password_hash: NO_PASSWORD,
          active: s.active ? 1 : 0,
          created_at: actor.now,
          source: 'directory',
        })
        .execute()
    }
    await trx
      .insertInto('scim_users')
      .values({ person_id: id, ...scimColumns(s, actor.now), created_at: actor.now })
      .execute()
  })
  await audit(db, {
    actorId: null,
    action: 'scim_user_created',
    target: id,
    ip: actor.ip,
    details: { via: 'scim', ...(takeOver ? { tookOver: true } : {}) },
  })
  // A taken-over person who was switched off follows the directory's active flag like any update.
  if (takeOver) await followActive(db, id, takeOver.active === 1, s.active, actor)
  else if (!s.active) await deactivatePerson(db, id, actor.now)
  return id
}

/** Stores a user's new state (PUT or PATCH) and ends or restores access when `active` changed. */
export async function updateUser(
  db: Kysely<Database>,
  id: string,
  s: UserState,
  actor: ScimActor,
): Promise<void> {
  await checkUnique(db, s, id)
  const person = await db
    .selectFrom('people')
    .select('active')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('people').set(personColumns(s)).where('id', '=', id).execute()
    await trx
      .updateTable('scim_users')
      .set(scimColumns(s, actor.now))
      .where('person_id', '=', id)
      .execute()
  })
  await audit(db, { actorId: null, action: 'scim_user_changed', target: id, ip: actor.ip })
  await followActive(db, id, person.active === 1, s.active, actor)
}

/**
 * The directory switched the person off: the same deactivation as an administrator's (every
 * device session ends, tablets wipe at next contact). Switched on again: access returns, with
 * whatever roles their groups give.
 */
async function followActive(
  db: Kysely<Database>,
  id: string,
  wasActive: boolean,
  active: boolean,
  actor: ScimActor,
): Promise<void> {
  if (wasActive && !active) {
    await deactivatePerson(db, id, actor.now)
    await audit(db, {
      actorId: null,
      action: 'person_deactivated',
      target: id,
      ip: actor.ip,
      details: { via: 'scim' },
    })
  } else if (!wasActive && active) {
    await reactivatePerson(db, id, actor.now)
    await audit(db, {
      actorId: null,
      action: 'person_reactivated',
      target: id,
      ip: actor.ip,
      details: { via: 'scim' },
    })
  }
}

/**
 * DELETE: the person's access ends as on deactivation and SCIM no longer knows them; the
 * people row stays, since their clients' records name them (an administrator hands them over).
 */
export async function deleteUser(
  db: Kysely<Database>,
  id: string,
  actor: ScimActor,
): Promise<void> {
  await deactivatePerson(db, id, actor.now)
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('scim_group_members').where('person_id', '=', id).execute()
    await trx.deleteFrom('scim_users').where('person_id', '=', id).execute()
    await trx.deleteFrom('person_roles').where('person_id', '=', id).execute()
    await trx.deleteFrom('unit_members').where('person_id', '=', id).execute()
  })
  await audit(db, { actorId: null, action: 'scim_user_deleted', target: id, ip: actor.ip })
}

/** Ids of the users matching a filter attribute (already lower-cased by parseEqFilter), or all. */
export async function findUserIds(
  db: Kysely<Database>,
  filter: { attribute: string; value: string } | null,
): Promise<string[]> {
  let q = db
    .selectFrom('scim_users')
    .innerJoin('people', 'people.id', 'scim_users.person_id')
    .select('people.id')
    .orderBy('scim_users.created_at')
    .orderBy('people.id')
  if (filter?.attribute === 'username')
    q = q.where('people.username', '=', filter.value.toLowerCase())
  else if (filter?.attribute === 'externalid') q = q.where('people.directory_id', '=', filter.value)
  else if (filter?.attribute === 'id') q = q.where('people.id', '=', filter.value)
  else if (filter?.attribute === 'displayname')
    q = q.where('people.display_name', '=', filter.value)
  return (await q.execute()).map((r) => r.id)
}
