import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { rawRows, rawSql } from './support/raw-sql.ts'
import { addPerson, login, PASSWORD, type Session } from './support/world.ts'

// The requests below are the shapes Microsoft documents for Entra ID's provisioning service
// ("Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID",
// section "Request and response examples"), with Norwegian names.
const TOKEN = 'scim-secret-of-at-least-32-characters-x'
const SCIM = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' }
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

const createUserRequest = (userName: string, externalId: string) => ({
  schemas: [
    'urn:ietf:params:scim:schemas:core:2.0:User',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  ],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: userName }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Kari Nordmann', familyName: 'Nordmann', givenName: 'Kari' },
  roles: [],
})

const createGroupRequest = (displayName: string, externalId: string) => ({
  externalId,
  displayName,
  meta: { resourceType: 'Group' },
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
})

const members = (op: 'Add' | 'Remove', ...ids: string[]) => ({
  schemas: [PATCH_OP],
  Operations: [
    {
      name: op === 'Add' ? 'addMember' : 'removeMember',
      op,
      path: 'members',
      value: ids.map((value) => ({ $ref: null, value })),
    },
  ],
})

describe.each(backends())('SCIM 2.0 provisioning as Entra ID calls it (%s)', (backend) => {
  let database: TestDatabase
  let server: TestServer
  let app: FastifyInstance
  let w: { admin: Session }
  let unitId: string
  // One server for the file: every test provisions people of its own.
  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await appOn(database, { LINJA_SCIM_TOKEN: TOKEN })
    app = server.app
    w = { admin: await login(app, 'admin', 'admin-password-1') }
    const unit = await app.inject({
      method: 'POST',
      url: '/api/admin/units',
      headers: w.admin.headers,
      payload: { name: 'Barnevern' },
    })
    unitId = unit.json<{ id: string }>().id
    // The administrator's group mapping: Entra group object ids → practitioner in the unit.
    for (const n of [1, 2, 3, 4, 5]) {
      const mapped = await app.inject({
        method: 'POST',
        url: '/api/admin/directory-groups',
        headers: w.admin.headers,
        payload: { groupId: `entra-group-${n}`, role: 'practitioner', unitId },
      })
      expect(mapped.statusCode).toBeLessThan(300)
    }
  })
  afterAll(async () => {
    await server.close()
    await database.drop()
  })

  const scim = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url: `/scim/v2${url}`,
      headers: SCIM,
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    })

  const person = async (id: string) => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: w.admin.headers,
    })
    return res
      .json<
        { id: string; active: boolean; roles: string[]; unitIds: string[]; displayName: string }[]
      >()
      .find((p) => p.id === id)
  }

  it('creates a user, finds it by userName, and a second create with that userName is a uniqueness error', async () => {
    const none = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "kari.nordmann@kommune.no"')}`,
    )
    expect(none.statusCode).toBe(200)
    expect(none.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      Resources: [],
    })

    const created = await scim(
      'POST',
      '/Users',
      createUserRequest('Kari.Nordmann@kommune.no', 'oid-kari'),
    )
    expect(created.statusCode).toBe(201)
    expect(created.headers['content-type']).toMatch(/^application\/scim\+json/)
    const user = created.json<{ id: string }>()
    expect(user).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'Kari.Nordmann@kommune.no',
      externalId: 'oid-kari',
      active: true,
      displayName: 'Kari Nordmann',
      name: { givenName: 'Kari', familyName: 'Nordmann' },
      emails: [{ value: 'Kari.Nordmann@kommune.no', type: 'work', primary: true }],
      meta: { resourceType: 'User', location: `/scim/v2/Users/${user.id}` },
    })

    // userName is case-insensitive (RFC 7643 §4.1.1): Entra's query finds her whatever the case.
    const found = await scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "kari.nordmann@kommune.no"')}`,
    )
    expect(found.json()).toMatchObject({ totalResults: 1, Resources: [{ id: user.id }] })
    const byId = await scim('GET', `/Users/${user.id}`)
    expect(byId.json()).toMatchObject({ id: user.id, userName: 'Kari.Nordmann@kommune.no' })

    const again = await scim(
      'POST',
      '/Users',
      createUserRequest('kari.nordmann@kommune.no', 'oid-other'),
    )
    expect(again.statusCode).toBe(409)
    expect(again.json()).toEqual({
      schemas: [ERROR],
      status: '409',
      scimType: 'uniqueness',
      detail: expect.any(String),
    })
    // She is in Linja as a directory person, with no roles until a mapped group gives some.
    expect(await person(user.id)).toMatchObject({
      active: true,
      roles: [],
      displayName: 'Kari Nordmann',
    })
  })

  it('updates single- and multi-valued attributes with Entra PATCH shapes', async () => {
    const { id } = (
      await scim('POST', '/Users', createUserRequest('ola@kommune.no', 'oid-ola'))
    ).json<{ id: string }>()
    const res = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'ola.nordmann@kommune.no' },
        { op: 'Replace', path: 'name.familyName', value: 'Hansen' },
        { op: 'Replace', path: 'displayName', value: 'Ola Hansen' },
        {
          op: 'Add',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
          value: 'Helse',
        },
      ],
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      displayName: 'Ola Hansen',
      name: { familyName: 'Hansen' },
      emails: [{ value: 'ola.nordmann@kommune.no', type: 'work' }],
    })
    const renamed = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'userName', value: 'ola.hansen@kommune.no' }],
    })
    expect(renamed.json()).toMatchObject({ userName: 'ola.hansen@kommune.no' })
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent('externalId eq "oid-ola"')}`)).json(),
    ).toMatchObject({ totalResults: 1, Resources: [{ id, userName: 'ola.hansen@kommune.no' }] })
    expect((await person(id))?.displayName).toBe('Ola Hansen')
  })

  it('group membership gives the mapped role and unit; removal from the last mapped group ends access', async () => {
    const { id } = (
      await scim('POST', '/Users', createUserRequest('pia.d@kommune.no', 'oid-pia'))
    ).json<{ id: string }>()
    const group = await scim(
      'POST',
      '/Groups',
      createGroupRequest('Linja behandlere', 'entra-group-1'),
    )
    expect(group.statusCode).toBe(201)
    const groupId = group.json<{ id: string }>().id
    const byName = await scim(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Linja behandlere"')}`,
    )
    expect(byName.json()).toMatchObject({
      totalResults: 1,
      Resources: [{ id: groupId, externalId: 'entra-group-1' }],
    })
    expect(byName.json().Resources[0].members).toBeUndefined()

    expect((await scim('PATCH', `/Groups/${groupId}`, members('Add', id))).statusCode).toBe(204)
    expect(await person(id)).toMatchObject({
      active: true,
      roles: ['practitioner'],
      unitIds: [unitId],
    })
    expect((await scim('GET', `/Groups/${groupId}`)).json()).toMatchObject({
      members: [{ value: id }],
    })

    expect((await scim('PATCH', `/Groups/${groupId}`, members('Remove', id))).statusCode).toBe(204)
    expect(await person(id)).toMatchObject({ active: false, roles: [], unitIds: [] })

    const audit = await app.inject({
      method: 'GET',
      url: `/api/admin/audit?personId=${id}`,
      headers: w.admin.headers,
    })
    expect(audit.json<{ action: string }[]>().map((a) => a.action)).toEqual(
      expect.arrayContaining(['scim_user_created', 'person_deactivated']),
    )
  })

  it('an unknown member refuses the whole PATCH and changes nothing; deleting a group takes what it gave', async () => {
    const { id } = (
      await scim('POST', '/Users', createUserRequest('per@kommune.no', 'oid-per'))
    ).json<{ id: string }>()
    const groupId = (
      await scim('POST', '/Groups', createGroupRequest('Linja', 'entra-group-2'))
    ).json<{ id: string }>().id
    const bad = await scim('PATCH', `/Groups/${groupId}`, members('Add', id, 'no-such-user'))
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' })
    expect((await scim('GET', `/Groups/${groupId}`)).json().members).toEqual([])
    await scim('PATCH', `/Groups/${groupId}`, members('Add', id))
    expect((await scim('DELETE', `/Groups/${groupId}`)).statusCode).toBe(204)
    expect((await scim('GET', `/Groups/${groupId}`)).statusCode).toBe(404)
    expect(await person(id)).toMatchObject({ roles: [], active: false })
  })

  for (const value of [false, 'False'] as const) {
    it(`active replaced with ${JSON.stringify(value)} signs the person out on every tablet at once, and the tablets are told to wipe`, async () => {
      const { id } = (
        await scim(
          'POST',
          '/Users',
          createUserRequest(`vera.${typeof value}@kommune.no`, `oid-vera-${typeof value}`),
        )
      ).json<{ id: string }>()
      const groupId = (
        await scim(
          'POST',
          '/Groups',
          createGroupRequest(`Linja ${String(value)}`, `entra-group-${value === false ? 3 : 4}`),
        )
      ).json<{ id: string }>().id
      await scim('PATCH', `/Groups/${groupId}`, members('Add', id))
      // A directory person has no Linja password; a device session stands in for their OIDC sign-in.
      const tablets = ['a', 'b'].map((n) => `session-${n}-${id}`)
      for (const sid of tablets)
        await rawSql(
          database,
          'insert into device_sessions (id, person_id, device_name, device_id, refresh_hash, created_at, last_contact_at, app_version, revoked_at, wipe) values (?, ?, ?, null, ?, ?, ?, null, null, 0)',
          [sid, id, 'tablet', `hash-${sid}`, new Date().toISOString(), new Date().toISOString()],
        )
      const off = await scim('PATCH', `/Users/${id}`, {
        Operations: [{ op: 'Replace', path: 'active', value }],
        schemas: [PATCH_OP],
      })
      expect(off.statusCode).toBe(200)
      expect(off.json()).toMatchObject({ active: false })
      expect((await person(id))?.active).toBe(false)
      const list = await app.inject({ url: '/api/admin/tablets', headers: w.admin.headers })
      const mine = list
        .json<{ id: string; active: boolean; people: string[] }[]>()
        .filter((t) => tablets.includes(t.id))
      expect(mine).toHaveLength(2)
      for (const t of mine) expect(t).toMatchObject({ active: false, people: [] })
      const wipes = await rawRows(
        database,
        'select wipe from device_sessions where id in (?, ?) and revoked_at is not null',
        tablets,
      )
      expect(wipes.map((r) => Number(r.wipe))).toEqual([1, 1])
      // Switched on again in the directory: access returns.
      const on = await scim('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'Replace', value: { active: true } }],
      })
      expect(on.json()).toMatchObject({ active: true })
      expect((await person(id))?.active).toBe(true)
    })
  }

  it('a person with a Linja session is deactivated through SCIM exactly like the admin does it: next contact refused with wipe', async () => {
    await addPerson(app, w.admin, 'pia', ['practitioner'])
    const pia = await login(app, 'pia', PASSWORD)
    // pia (signed in on a tablet) is taken over by the directory through her externalId.
    await rawSql(
      database,
      "update people set source = 'directory', directory_id = ? where id = ?",
      ['oid-pia-local', pia.personId],
    )
    const taken = await scim('POST', '/Users', createUserRequest('pia@kommune.no', 'oid-pia-local'))
    expect(taken.statusCode).toBe(201)
    expect(taken.json()).toMatchObject({ id: pia.personId })
    await scim('PATCH', `/Users/${pia.personId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: false }],
    })
    const pull = await app.inject({ method: 'GET', url: '/api/sync/pull', headers: pia.headers })
    expect(pull.statusCode).toBe(401)
    expect(pull.json()).toMatchObject({ error: 'account_deactivated', wipe: true })
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: pia.refreshToken },
    })
    expect(refresh.json()).toMatchObject({ error: 'account_deactivated', wipe: true })
  })

  it('PUT replaces a user; DELETE ends access and the user is gone from SCIM', async () => {
    const { id } = (
      await scim('POST', '/Users', createUserRequest('lise@kommune.no', 'oid-lise'))
    ).json<{ id: string }>()
    const put = await scim('PUT', `/Users/${id}`, {
      ...createUserRequest('lise@kommune.no', 'oid-lise'),
      displayName: 'Lise Berg',
    })
    expect(put.json()).toMatchObject({ displayName: 'Lise Berg' })
    expect((await scim('DELETE', `/Users/${id}`)).statusCode).toBe(204)
    expect((await scim('GET', `/Users/${id}`)).json()).toMatchObject({
      schemas: [ERROR],
      status: '404',
    })
    expect((await person(id))?.active).toBe(false)
  })

  it('bad requests get SCIM errors and change nothing', async () => {
    const filter = await scim('GET', `/Users?filter=${encodeURIComponent('userName co "kari"')}`)
    expect(filter.statusCode).toBe(400)
    expect(filter.json()).toMatchObject({
      schemas: [ERROR],
      status: '400',
      scimType: 'invalidFilter',
    })
    const noName = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    })
    expect(noName.statusCode).toBe(400)
    expect(noName.json()).toMatchObject({ schemas: [ERROR], status: '400' })
    const { id } = (
      await scim('POST', '/Users', createUserRequest('nils@kommune.no', 'oid-nils'))
    ).json<{ id: string }>()
    const badOp = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Move', path: 'active', value: false }],
    })
    expect(badOp.json()).toMatchObject({ status: '400', scimType: 'invalidSyntax' })
    const badActive = await scim('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'maybe' }],
    })
    expect(badActive.json()).toMatchObject({ status: '400', scimType: 'invalidValue' })
    expect((await scim('GET', `/Users/${id}`)).json()).toMatchObject({ active: true })
    expect((await scim('GET', '/Users/nobody')).statusCode).toBe(404)
  })

  it('attack: no token, a wrong token, or a Linja access token is refused; the SCIM token opens nothing else', async () => {
    const before = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: w.admin.headers,
    })
    for (const authorization of [
      undefined,
      'Bearer wrong-secret-of-at-least-32-characters',
      `Bearer ${TOKEN}x`,
      `Basic ${TOKEN}`,
      w.admin.headers.authorization,
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/scim/v2/Users',
        headers: {
          'content-type': 'application/scim+json',
          ...(authorization ? { authorization } : {}),
        },
        payload: JSON.stringify(createUserRequest('mallory@kommune.no', 'oid-m')),
      })
      expect(res.statusCode, String(authorization)).toBe(401)
      expect(res.json()).toMatchObject({ schemas: [ERROR], status: '401' })
    }
    for (const url of [
      '/api/admin/people',
      '/api/sync/pull',
      '/api/admin/tablets',
      '/api/admin/audit',
    ]) {
      const res = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${TOKEN}`, 'x-linja-protocol': '1' },
      })
      expect(res.statusCode, url).toBe(401)
    }
    const after = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: w.admin.headers,
    })
    expect(after.json()).toEqual(before.json())
    // Discovery needs the token too.
    expect(
      (await app.inject({ method: 'GET', url: '/scim/v2/ServiceProviderConfig' })).statusCode,
    ).toBe(401)
    expect((await scim('GET', '/ServiceProviderConfig')).json()).toMatchObject({
      patch: { supported: true },
    })
  })
})

describe('SCIM without a configured secret', () => {
  it('is off: every SCIM request gets 404 saying how to turn it on, whatever bearer it brings', async () => {
    const database = await createTestDatabase('sqlite')
    const server = await appOn(database)
    try {
      const admin = await login(server.app, 'admin', 'admin-password-1')
      for (const authorization of [
        undefined,
        `Bearer ${TOKEN}`,
        'Bearer ',
        admin.headers.authorization,
      ]) {
        const res = await server.app.inject({
          method: 'GET',
          url: '/scim/v2/Users',
          headers: authorization ? { authorization } : {},
        })
        expect(res.statusCode).toBe(404)
        expect(res.json()).toMatchObject({
          status: '404',
          detail: expect.stringContaining('LINJA_SCIM_TOKEN'),
        })
      }
    } finally {
      await server.close()
      await database.drop()
    }
  })
})
