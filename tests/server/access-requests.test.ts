import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endOfLastDay } from '../../sync-server/src/accounts/leavers.ts'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { addPerson, login, makeWorld, PASSWORD, type Session, type World } from './support/world.ts'

describe('the end of a last day', () => {
  it('is midnight Norwegian time, summer and winter and around the clock changes', () => {
    expect(endOfLastDay('2026-06-30')).toBe('2026-06-30T22:00:00.000Z')
    expect(endOfLastDay('2026-12-15')).toBe('2026-12-15T23:00:00.000Z')
    // Summer time starts 29 March 2026 at 02:00: the midnight before is still winter time.
    expect(endOfLastDay('2026-03-28')).toBe('2026-03-28T23:00:00.000Z')
    // Summer time ends 25 October 2026 at 03:00: the midnight before is still summer time.
    expect(endOfLastDay('2026-10-24')).toBe('2026-10-24T22:00:00.000Z')
    expect(endOfLastDay('2026-12-31')).toBe('2026-12-31T23:00:00.000Z')
  })
})

type Request = { id: string; status: string; kind: string; personId: string | null }

describe.each(backends())('joiner and leaver requests (%s)', (backend) => {
  let database: TestDatabase
  let server: TestServer
  let app: FastifyInstance
  let w: World
  let unitId: string
  let otherUnitId: string
  // The server's clock; the test moves it past a leaver's last day.
  let clock = Date.now()
  beforeAll(async () => {
    database = await createTestDatabase(backend)
    server = await appOn(database, {}, { now: () => clock })
    app = server.app
    w = await makeWorld(app)
    const unit = async (name: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/admin/units',
          headers: w.admin.headers,
          payload: { name },
        })
      ).json<{ id: string }>().id
    unitId = await unit('Familieteamet')
    otherUnitId = await unit('Rus og psykisk helse')
    for (const [who, units] of [
      [w.lars, [unitId]],
      [w.pia, [unitId]],
      [w.ola, [otherUnitId]],
    ] as const)
      await app.inject({
        method: 'PATCH',
        url: `/api/admin/people/${who.personId}`,
        headers: w.admin.headers,
        payload: { unitIds: units },
      })
  })
  afterAll(async () => {
    await server.close()
    await database.drop()
  })

  const call = (who: Session | null, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { ...(who?.headers ?? {}), 'x-linja-protocol': '1' },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    })
  const joiner = (overrides: Record<string, unknown> = {}) => ({
    kind: 'joiner',
    unitId,
    displayName: 'Nora Nybegynner',
    email: 'nora.nybegynner@kommune.no',
    role: 'practitioner',
    ...overrides,
  })
  const actions = async (target: string) =>
    (await call(w.admin, 'GET', `/api/admin/audit?personId=${target}`))
      .json<{ action: string; actorId: string | null }[]>()
      .map((a) => a.action)

  it('a leader asks for a joiner; the admin approves in one step with the first password; the new person signs in with role and unit', async () => {
    const asked = await call(w.lars, 'POST', '/api/access-requests', joiner())
    expect(asked.statusCode).toBe(201)
    const request = asked.json<Request>()
    expect(request).toMatchObject({
      kind: 'joiner',
      status: 'open',
      username: 'nora.nybegynner',
      unitName: 'Familieteamet',
    })
    const open = (await call(w.admin, 'GET', '/api/admin/access-requests')).json<Request[]>()
    expect(open.find((r) => r.id === request.id)).toMatchObject({
      status: 'open',
      requestedByName: 'lars',
    })

    const noPassword = await call(
      w.admin,
      'POST',
      `/api/admin/access-requests/${request.id}/approve`,
      {},
    )
    expect(noPassword.json()).toMatchObject({ error: 'password_required' })
    const approved = await call(
      w.admin,
      'POST',
      `/api/admin/access-requests/${request.id}/approve`,
      {
        password: 'first-password-1',
      },
    )
    expect(approved.statusCode).toBe(200)
    const personId = approved.json<Request>().personId ?? ''
    expect(approved.json()).toMatchObject({ status: 'approved', personId: expect.any(String) })
    const nora = await login(app, 'nora.nybegynner', 'first-password-1')
    expect(nora.personId).toBe(personId)
    const people = (await call(w.admin, 'GET', '/api/admin/people')).json<
      { id: string; roles: string[]; unitIds: string[] }[]
    >()
    expect(people.find((p) => p.id === personId)).toMatchObject({
      roles: ['practitioner'],
      unitIds: [unitId],
    })
    expect(await actions(personId)).toEqual(
      expect.arrayContaining(['person_created', 'access_request_approved']),
    )
    // Decided once: a second decision is refused.
    expect(
      (await call(w.admin, 'POST', `/api/admin/access-requests/${request.id}/refuse`)).statusCode,
    ).toBe(409)
  })

  it('refused: nobody is created, and the leader sees the answer', async () => {
    const request = (
      await call(
        w.lars,
        'POST',
        '/api/access-requests',
        joiner({ email: 'kim@kommune.no', username: 'kim' }),
      )
    ).json<Request>()
    const refused = await call(w.admin, 'POST', `/api/admin/access-requests/${request.id}/refuse`)
    expect(refused.json()).toMatchObject({ status: 'refused' })
    const mine = (await call(w.lars, 'GET', '/api/access-requests')).json<{ requests: Request[] }>()
    expect(mine.requests.find((r) => r.id === request.id)).toMatchObject({ status: 'refused' })
    const people = (await call(w.admin, 'GET', '/api/admin/people')).json<{ username: string }[]>()
    expect(people.map((p) => p.username)).not.toContain('kim')
    expect(await actions(request.id)).toEqual(['access_request_refused', 'access_requested'])
  })

  it('attack: only leaders request, only for their own units and staff; only the admin decides; no token is 401', async () => {
    const before = (await call(w.admin, 'GET', '/api/admin/access-requests')).json<Request[]>()
      .length
    expect((await call(w.pia, 'POST', '/api/access-requests', joiner())).statusCode).toBe(403)
    expect((await call(w.vera, 'GET', '/api/access-requests')).statusCode).toBe(403)
    expect((await call(null, 'POST', '/api/access-requests', joiner())).statusCode).toBe(401)
    const elsewhere = await call(
      w.lars,
      'POST',
      '/api/access-requests',
      joiner({ unitId: otherUnitId }),
    )
    expect(elsewhere.json()).toMatchObject({ error: 'not_your_unit' })
    // ola is in another unit: lars cannot report him, even naming his own unit.
    const notHis = await call(w.lars, 'POST', '/api/access-requests', {
      kind: 'leaver',
      unitId,
      personId: w.ola.personId,
      lastDay: '2026-12-31',
    })
    expect(notHis.statusCode).toBe(404)
    const admin = await call(
      w.lars,
      'POST',
      '/api/access-requests',
      joiner({ role: 'admin', email: 'x@kommune.no' }),
    )
    expect(admin.statusCode).toBe(400)
    const nameless = await call(
      w.lars,
      'POST',
      '/api/access-requests',
      joiner({ email: undefined }),
    )
    expect(nameless.json()).toMatchObject({ error: 'username_or_email' })
    const taken = await call(w.lars, 'POST', '/api/access-requests', joiner({ username: 'pia' }))
    expect(taken.json()).toMatchObject({ error: 'username_taken' })
    expect(
      (await call(w.admin, 'GET', '/api/admin/access-requests')).json<Request[]>(),
    ).toHaveLength(before)
    const one = (
      await call(w.lars, 'POST', '/api/access-requests', joiner({ email: 'eva@kommune.no' }))
    ).json<Request>()
    for (const who of [w.lars, w.pia, null]) {
      const res = await call(who, 'POST', `/api/admin/access-requests/${one.id}/approve`, {
        password: 'first-password-1',
      })
      expect(res.statusCode).toBe(who ? 403 : 401)
      expect((await call(who, 'GET', '/api/admin/access-requests')).statusCode).toBe(
        who ? 403 : 401,
      )
    }
    // The leader's list names only his units' staff.
    const view = (await call(w.lars, 'GET', '/api/access-requests')).json<{
      staff: { id: string }[]
      units: { id: string }[]
    }>()
    expect(view.units.map((u) => u.id)).toEqual([unitId])
    expect(view.staff.map((s) => s.id)).not.toContain(w.ola.personId)
  })

  it("a leaver's access ends by itself at the end of the last day: requests, refresh and sign-in are refused, the tablet is told to wipe", async () => {
    await addPerson(app, w.admin, 'siri', ['practitioner'])
    const siri = await login(app, 'siri', PASSWORD)
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${siri.personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [unitId] },
    })
    const lastDay = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    const reported = await call(w.lars, 'POST', '/api/access-requests', {
      kind: 'leaver',
      unitId,
      personId: siri.personId,
      lastDay,
    })
    expect(reported.json()).toMatchObject({
      kind: 'leaver',
      status: 'open',
      personName: 'siri',
      lastDay,
    })
    const again = await call(w.lars, 'POST', '/api/access-requests', {
      kind: 'leaver',
      unitId,
      personId: siri.personId,
      lastDay,
    })
    expect(again.json()).toMatchObject({ error: 'already_requested' })
    const approved = await call(
      w.admin,
      'POST',
      `/api/admin/access-requests/${reported.json<Request>().id}/approve`,
      {},
    )
    expect(approved.json()).toMatchObject({
      status: 'approved',
      accessEndsAt: endOfLastDay(lastDay),
    })

    const end = Date.parse(endOfLastDay(lastDay))
    clock = end - 1000
    expect((await call(siri, 'GET', '/api/sync/pull')).statusCode).toBe(200)
    clock = end + 1000
    const pull = await call(siri, 'GET', '/api/sync/pull')
    expect(pull.statusCode).toBe(401)
    expect(pull.json()).toMatchObject({ error: 'account_deactivated', wipe: true })
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: siri.refreshToken },
    })
    expect(refresh.json()).toMatchObject({ error: 'account_deactivated', wipe: true })
    await expect(login(app, 'siri', PASSWORD)).rejects.toThrow(/401/)
    expect(await actions(siri.personId)).toEqual(
      expect.arrayContaining(['access_ended', 'access_requested', 'access_request_approved']),
    )
    clock = Date.now()
  })

  it('the sweep ends a leaver who never makes contact again', async () => {
    await addPerson(app, w.admin, 'tor', ['practitioner'])
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${(await login(app, 'tor', PASSWORD)).personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [unitId] },
    })
    const tor = (await call(w.lars, 'GET', '/api/access-requests'))
      .json<{ staff: { id: string; displayName: string }[] }>()
      .staff.find((s) => s.displayName === 'tor')
    const lastDay = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const reported = (
      await call(w.lars, 'POST', '/api/access-requests', {
        kind: 'leaver',
        unitId,
        personId: tor?.id,
        lastDay,
      })
    ).json<Request>()
    await call(w.admin, 'POST', `/api/admin/access-requests/${reported.id}/approve`, {})
    // A second server on the same database, its clock past the last day: the sweep at its start ends tor's access.
    const later = await appOn(
      database,
      {},
      { now: () => Date.parse(endOfLastDay(lastDay)) + 60_000 },
    )
    try {
      const people = (
        await later.app.inject({
          method: 'GET',
          url: '/api/admin/people',
          headers: w.admin.headers,
        })
      ).json<{ id: string; active: boolean }[]>()
      expect(people.find((p) => p.id === tor?.id)).toMatchObject({ active: false })
    } finally {
      await later.close()
    }
  })

  it("the staff list shows a leaver's end date, then since when they have left; a reactivated leaver stays active", async () => {
    const kariId = await addPerson(app, w.admin, 'kari', ['practitioner'])
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${kariId}`,
      headers: w.admin.headers,
      payload: { unitIds: [unitId] },
    })
    type Staff = {
      id: string
      active: boolean
      accessEndsAt: string | null
      deactivatedAt: string | null
    }
    const kariInList = async (on: FastifyInstance = app) =>
      (await on.inject({ method: 'GET', url: '/api/admin/people', headers: w.admin.headers }))
        .json<Staff[]>()
        .find((p) => p.id === kariId)
    expect(await kariInList()).toMatchObject({ accessEndsAt: null, deactivatedAt: null })

    const lastDay = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
    const reported = (
      await call(w.lars, 'POST', '/api/access-requests', {
        kind: 'leaver',
        unitId,
        personId: kariId,
        lastDay,
      })
    ).json<Request>()
    await call(w.admin, 'POST', `/api/admin/access-requests/${reported.id}/approve`, {})
    const end = Date.parse(endOfLastDay(lastDay))
    expect(await kariInList()).toMatchObject({
      active: true,
      accessEndsAt: endOfLastDay(lastDay),
      deactivatedAt: null,
    })

    // Past the last day, a server start's sweep ends the access: the list says since when.
    const later = await appOn(database, {}, { now: () => end + 60_000 })
    try {
      expect(await kariInList(later.app)).toMatchObject({
        active: false,
        deactivatedAt: new Date(end + 60_000).toISOString(),
      })
    } finally {
      await later.close()
    }

    // Taken back: the last day that is over is forgotten, so the sweep does not end it again.
    clock = end + 120_000
    const back = await call(w.admin, 'POST', `/api/admin/people/${kariId}/reactivate`, {})
    expect(back.statusCode).toBe(200)
    const after = await appOn(database, {}, { now: () => end + 180_000 })
    try {
      expect(await kariInList(after.app)).toMatchObject({
        active: true,
        accessEndsAt: null,
        deactivatedAt: null,
      })
    } finally {
      await after.close()
      clock = Date.now()
    }
  })
})
