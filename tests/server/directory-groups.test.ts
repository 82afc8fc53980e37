import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  applyDirectoryAccess,
  mappedAccess,
  upsertDirectoryPerson,
} from '../../sync-server/src/accounts/directory-groups.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import type { Database } from '../../sync-server/src/db/schema.ts'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { login, makeWorld, type Session, type World } from './support/world.ts'

const SOCIAL = '6f1c7a52-0d0e-4b7c-9a51-1c2b3d4e5f60'
const LEADERS = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d'
const CANTEEN = 'ffffffff-0000-4000-8000-000000000000'

describe.each(backends())('directory groups → roles and units (%s)', (backend) => {
  let database: TestDatabase
  let server: TestServer
  let app: FastifyInstance
  let db: Kysely<Database>
  let closeDb: () => Promise<void>
  let w: World
  let unitId: string

  const call = (
    who: Session | null,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url,
      ...(who ? { headers: who.headers } : {}),
      ...(payload ? { payload } : {}),
    })
  const map = (groupId: string, role: string, unit: string | null = null) =>
    call(w.admin, 'POST', '/api/admin/directory-groups', { groupId, role, unitId: unit })

  beforeEach(async () => {
    database = await createTestDatabase(backend)
    server = await appOn(database)
    app = server.app
    const opened = openDatabase({
      dataDir: database.env.DATA_DIR ?? '',
      databaseUrl: database.env.DATABASE_URL ?? null,
    })
    db = opened.db
    closeDb = opened.close
    w = await makeWorld(app)
    unitId = (await call(w.admin, 'POST', '/api/admin/units', { name: 'Barnevern' })).json<{
      id: string
    }>().id
  })
  afterEach(async () => {
    await closeDb()
    await server.close()
    await database.drop()
  })

  it('only the admin maps groups; anyone else or no one gets 401/403 and the mapping stays empty', async () => {
    for (const who of [w.pia, w.vera, w.lars]) {
      expect(
        (await call(who, 'POST', '/api/admin/directory-groups', { groupId: SOCIAL, role: 'admin' }))
          .statusCode,
      ).toBe(403)
      expect((await call(who, 'GET', '/api/admin/directory-groups')).statusCode).toBe(403)
    }
    expect(
      (await call(null, 'POST', '/api/admin/directory-groups', { groupId: SOCIAL, role: 'admin' }))
        .statusCode,
    ).toBe(401)
    expect((await call(w.admin, 'GET', '/api/admin/directory-groups')).json()).toEqual([])
    expect(await mappedAccess(db, [SOCIAL])).toBeNull()
  })

  it('the admin maps, lists and removes group rows; a bad unit or role is refused and changes nothing', async () => {
    const bad = await map(SOCIAL, 'practitioner', 'no-such-unit')
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'unknown_unit' })
    expect((await map(SOCIAL, 'owner')).statusCode).toBe(400)
    const first = await map(SOCIAL, 'practitioner', unitId)
    expect(first.statusCode).toBe(201)
    // The same row again is the same mapping, not a second one.
    const again = await map(SOCIAL, 'practitioner', unitId)
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(first.json())
    await map(LEADERS, 'leader', unitId)
    const listed = (await call(w.admin, 'GET', '/api/admin/directory-groups')).json<
      { id: string; groupId: string; role: string; unitId: string | null }[]
    >()
    expect(listed.map((m) => [m.groupId, m.role, m.unitId])).toEqual(
      [
        [SOCIAL, 'practitioner', unitId],
        [LEADERS, 'leader', unitId],
      ].sort(),
    )
    const removed = await call(
      w.admin,
      'DELETE',
      `/api/admin/directory-groups/${first.json<{ id: string }>().id}`,
    )
    expect(removed.statusCode).toBe(200)
    expect(await mappedAccess(db, [SOCIAL])).toBeNull()
    const audit = (
      await call(w.admin, 'GET', '/api/admin/audit?action=directory_group_mapped')
    ).json<unknown[]>()
    expect(audit).toHaveLength(2)
    expect(
      (await call(w.admin, 'GET', '/api/admin/audit?action=directory_group_unmapped')).json(),
    ).toHaveLength(1)
  })

  it('a person in mapped groups gets exactly their roles and units; leaving every mapped group deactivates them and wipes their tablets', async () => {
    await map(SOCIAL, 'practitioner', unitId)
    await map(LEADERS, 'leader')
    expect(await mappedAccess(db, [CANTEEN])).toBeNull()
    expect(await mappedAccess(db, [SOCIAL, CANTEEN, LEADERS])).toEqual({
      roles: ['leader', 'practitioner'],
      unitIds: [unitId],
    })

    const { id, created } = await upsertDirectoryPerson(db, {
      directoryId: 'oid-kari',
      username: 'kari.nordmann@kommune.no',
      displayName: 'Kari Nordmann',
      email: 'kari.nordmann@kommune.no',
    })
    expect(created).toBe(true)
    const actor = { actorId: null, via: 'scim' as const }
    expect(await applyDirectoryAccess(db, id, [SOCIAL, CANTEEN], actor)).toMatchObject({
      roles: ['practitioner'],
      unitIds: [unitId],
      active: true,
      changed: true,
    })
    const person = async () =>
      (await call(w.admin, 'GET', '/api/admin/people'))
        .json<
          { id: string; username: string; roles: string[]; unitIds: string[]; active: boolean }[]
        >()
        .find((p) => p.id === id)
    expect(await person()).toMatchObject({
      username: 'kari.nordmann',
      roles: ['practitioner'],
      unitIds: [unitId],
      active: true,
    })
    // The same person again is the same row; a second person with that name gets a free one.
    expect(
      await upsertDirectoryPerson(db, {
        directoryId: 'oid-kari',
        username: 'kari.nordmann',
        displayName: 'Kari N.',
        email: null,
      }),
    ).toEqual({ id, created: false })
    const other = await upsertDirectoryPerson(db, {
      directoryId: 'oid-kari-2',
      username: 'Kari.Nordmann@other.no',
      displayName: 'Kari Other',
      email: null,
    })
    expect(
      (await call(w.admin, 'GET', '/api/admin/people'))
        .json<{ id: string; username: string }[]>()
        .find((p) => p.id === other.id)?.username,
    ).toBe('kari.nordmann-2')
    // A directory person has no Linja password: no password signs them in.
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'kari.nordmann', password: '!directory', deviceName: 't' },
        })
      ).statusCode,
    ).toBe(401)

    await applyDirectoryAccess(db, id, [LEADERS], actor)
    expect(await person()).toMatchObject({ roles: ['leader'], unitIds: [] })

    // A tablet where she is signed in.
    const now = new Date().toISOString()
    await db
      .insertInto('device_sessions')
      .values({
        id: 'ds-kari',
        person_id: id,
        device_name: 'tab',
        device_id: null,
        refresh_hash: 'h-kari',
        created_at: now,
        last_contact_at: now,
        app_version: null,
        revoked_at: null,
        revoked_reason: null,
        wipe: 0,
      })
      .execute()
    expect(await applyDirectoryAccess(db, id, [CANTEEN], actor)).toMatchObject({
      active: false,
      roles: [],
    })
    expect(await person()).toMatchObject({ active: false, roles: [], unitIds: [] })
    const session = await db
      .selectFrom('device_sessions')
      .select(['revoked_at', 'wipe'])
      .where('id', '=', 'ds-kari')
      .executeTakeFirstOrThrow()
    expect(session.revoked_at).not.toBeNull()
    expect(session.wipe).toBe(1)
    // Back in a mapped group later: still deactivated until an administrator reactivates.
    expect(await applyDirectoryAccess(db, id, [SOCIAL], actor)).toMatchObject({ active: false })
    const audit = (await call(w.admin, 'GET', `/api/admin/audit?personId=${id}`)).json<
      { action: string; details: string }[]
    >()
    expect(audit.map((a) => a.action)).toContain('directory_access_changed')
    expect(audit.find((a) => a.action === 'person_deactivated')?.details).toContain(
      'no_mapped_group',
    )
    // The local people were not touched.
    await login(app, 'pia', 'a-long-password-1')
  })
})
