import type { FastifyInstance } from 'fastify'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device } from './support/ops.ts'
import { login, makeWorld, PASSWORD, type Session, type World } from './support/world.ts'

type Who = keyof World
const ALL: Who[] = ['admin', 'pia', 'ola', 'vera', 'lars']

async function call(
  app: FastifyInstance,
  who: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) })
}

async function pull(app: FastifyInstance, who: Session, cursor?: string) {
  const res = await call(
    app,
    who,
    'GET',
    `/api/sync/pull?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
  )
  expect(res.statusCode).toBe(200)
  return res.json<{
    cursor: string
    changes: { id: string; entity: string; access: string; payload: Record<string, unknown> }[]
  }>()
}

describe.each(backends())('admin: people, units, audit (%s)', (backend) => {
  let server: TestServer
  let w: World
  let app: FastifyInstance
  beforeEach(async () => {
    server = await serverFor(backend)
    app = server.app
    w = await makeWorld(app)
  })
  afterEach(async () => {
    await server.close()
  })

  it('only the admin may use the new people, unit and audit routes: everyone else gets 403 and nothing changes', async () => {
    const unit = await call(app, w.admin, 'POST', '/api/admin/units', { name: 'Vest' })
    const unitId = unit.json<{ id: string }>().id
    const link = { supervisorId: w.vera.personId, practitionerId: w.pia.personId }
    const routes: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown][] = [
      ['POST', `/api/admin/people/${w.ola.personId}/reactivate`, undefined],
      [
        'POST',
        `/api/admin/people/${w.ola.personId}/password`,
        { newPassword: 'another-password-2' },
      ],
      ['PATCH', `/api/admin/people/${w.ola.personId}`, { displayName: 'Changed' }],
      ['POST', '/api/admin/supervision/remove', link],
      ['POST', `/api/admin/people/${w.ola.personId}/handover`, { toPersonId: w.pia.personId }],
      ['PATCH', `/api/admin/units/${unitId}`, { name: 'Øst' }],
      ['GET', '/api/admin/audit?action=login', undefined],
    ]
    for (const who of ALL.filter((p) => p !== 'admin')) {
      for (const [method, url, body] of routes) {
        const res = await call(app, w[who], method, url, body)
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(403)
        expect(res.json()).toMatchObject({ error: 'forbidden' })
      }
    }
    const people = await call(app, w.admin, 'GET', '/api/admin/people')
    expect(people.json().find((p: { id: string }) => p.id === w.ola.personId).displayName).toBe(
      'ola',
    )
    expect((await call(app, w.admin, 'GET', '/api/admin/units')).json()).toEqual([
      { id: unitId, name: 'Vest', retired: false },
    ])
    expect((await pull(app, w.vera)).changes).toEqual([])
    await login(app, 'ola', PASSWORD)
  })

  it('a deactivated person is refused; reactivated, they log in again', async () => {
    const off = await call(app, w.admin, 'POST', `/api/admin/people/${w.ola.personId}/deactivate`)
    expect(off.statusCode).toBe(200)
    const refused = await call(app, w.ola, 'GET', '/api/sync/pull')
    expect(refused.statusCode).toBe(401)
    expect(refused.json()).toMatchObject({ error: 'account_deactivated', wipe: true })
    await expect(login(app, 'ola', PASSWORD)).rejects.toThrow()
    const on = await call(app, w.admin, 'POST', `/api/admin/people/${w.ola.personId}/reactivate`)
    expect(on.statusCode).toBe(200)
    const again = await login(app, 'ola', PASSWORD)
    expect((await call(app, again, 'GET', '/api/sync/pull')).statusCode).toBe(200)
    const missing = await call(app, w.admin, 'POST', '/api/admin/people/nobody/reactivate')
    expect(missing.statusCode).toBe(404)
  })

  it('a password reset signs the person out everywhere without wiping, and only the new password works', async () => {
    const short = await call(app, w.admin, 'POST', `/api/admin/people/${w.pia.personId}/password`, {
      newPassword: 'short',
    })
    expect(short.statusCode).toBe(400)
    expect((await call(app, w.pia, 'GET', '/api/sync/pull')).statusCode).toBe(200)
    const res = await call(app, w.admin, 'POST', `/api/admin/people/${w.pia.personId}/password`, {
      newPassword: 'a-new-password-99',
    })
    expect(res.statusCode).toBe(200)
    const old = await call(app, w.pia, 'GET', '/api/sync/pull')
    expect(old.statusCode).toBe(401)
    expect(old.json()).toMatchObject({ error: 'device_revoked', wipe: false })
    await expect(login(app, 'pia', PASSWORD)).rejects.toThrow()
    await login(app, 'pia', 'a-new-password-99')
    const log = await call(
      app,
      w.admin,
      'GET',
      `/api/admin/audit?action=password_reset&personId=${w.pia.personId}`,
    )
    expect(log.json()).toHaveLength(1)
    expect(log.body).not.toContain('a-new-password-99')
  })

  it('after a reset the person must choose their own password before anything else, and cannot keep the one the admin set', async () => {
    const temporary = 'admin-set-password-1'
    await call(app, w.admin, 'POST', `/api/admin/people/${w.pia.personId}/password`, {
      newPassword: temporary,
    })
    const answer = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'pia', password: temporary, deviceName: 'tablet' },
    })
    expect(answer.json()).toMatchObject({ person: { mustChangePassword: true } })
    const pia = await login(app, 'pia', temporary)
    // Nothing but choosing a password: no sync, no screens.
    const pulled = await call(app, pia, 'GET', '/api/sync/pull')
    expect(pulled.statusCode).toBe(403)
    expect(pulled.json()).toMatchObject({ error: 'password_change_required' })
    const same = await call(app, pia, 'POST', '/api/auth/password', {
      currentPassword: temporary,
      newPassword: temporary,
    })
    expect(same.statusCode).toBe(400)
    expect(same.json()).toMatchObject({ error: 'same_password' })
    expect((await call(app, pia, 'GET', '/api/sync/pull')).statusCode).toBe(403)
    const chosen = await call(app, pia, 'POST', '/api/auth/password', {
      currentPassword: temporary,
      newPassword: 'pias-own-password-7',
    })
    expect(chosen.statusCode).toBe(200)
    expect((await call(app, pia, 'GET', '/api/sync/pull')).statusCode).toBe(200)
    const again = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'pia', password: 'pias-own-password-7', deviceName: 'tablet' },
    })
    expect(again.json()).toMatchObject({ person: { mustChangePassword: false } })
    // Someone else's new account (not reset) is never asked.
    const ola = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ola', password: PASSWORD, deviceName: 'tablet' },
    })
    expect(ola.json()).toMatchObject({ person: { mustChangePassword: false } })
  })

  it('editing a person changes their name, roles and units; bad input changes nothing', async () => {
    const unitId = (await call(app, w.admin, 'POST', '/api/admin/units', { name: 'Nord' })).json()
      .id
    const url = `/api/admin/people/${w.lars.personId}`
    expect((await call(app, w.lars, 'GET', '/api/sync/pull')).statusCode).toBe(403)
    for (const bad of [
      {},
      { roles: [] },
      { roles: ['king'] },
      { unitIds: ['nope'] },
      { extra: 1 },
    ]) {
      const res = await call(app, w.admin, 'PATCH', url, bad)
      expect(res.statusCode, JSON.stringify(bad)).toBe(400)
      expect(res.json()).toHaveProperty('error')
    }
    const res = await call(app, w.admin, 'PATCH', url, {
      displayName: 'Lars Leder',
      roles: ['leader', 'practitioner'],
      unitIds: [unitId],
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id: w.lars.personId,
      username: 'lars',
      displayName: 'Lars Leder',
      roles: ['leader', 'practitioner'],
      active: true,
      unitIds: [unitId],
      supervisorIds: [],
      twoFactor: false,
      accessEndsAt: null,
      deactivatedAt: null,
    })
    // The new role counts on the next request with the same token.
    expect((await call(app, w.lars, 'GET', '/api/sync/pull')).statusCode).toBe(200)
    const self = await call(app, w.admin, 'PATCH', `/api/admin/people/${w.admin.personId}`, {
      roles: ['leader'],
    })
    expect(self.statusCode).toBe(400)
  })

  it('removing a supervision link stops the supervisor receiving the supervisee’s clients', async () => {
    const tablet = new Device()
    const pushed = await call(
      app,
      w.pia,
      'POST',
      '/api/sync/push',
      tablet.body(caseOps(tablet, w.pia.personId).ops),
    )
    expect(pushed.statusCode).toBe(200)
    expect((await pull(app, w.vera)).changes).toHaveLength(3)
    const link = { supervisorId: w.vera.personId, practitionerId: w.pia.personId }
    const supervisorsOfPia = async () =>
      (await call(app, w.admin, 'GET', '/api/admin/people'))
        .json<{ id: string; supervisorIds: string[] }[]>()
        .find((p) => p.id === w.pia.personId)?.supervisorIds
    expect(await supervisorsOfPia()).toEqual([w.vera.personId])
    expect(
      (await call(app, w.admin, 'POST', '/api/admin/supervision/remove', link)).statusCode,
    ).toBe(200)
    expect((await pull(app, w.vera)).changes).toEqual([])
    expect(await supervisorsOfPia()).toEqual([])
    const again = await call(app, w.admin, 'POST', '/api/admin/supervision/remove', link)
    expect(again.statusCode).toBe(404)
    const log = await call(app, w.admin, 'GET', '/api/admin/audit?action=supervision_removed')
    expect(log.json()).toMatchObject([{ target: w.pia.personId, actorId: w.admin.personId }])
  })

  it('handing a deactivated practitioner’s clients over: the new practitioner’s synced device receives them and may write', async () => {
    const piaTablet = new Device()
    const { ops, client } = caseOps(piaTablet, w.pia.personId, 'HO-1')
    expect((await call(app, w.pia, 'POST', '/api/sync/push', piaTablet.body(ops))).statusCode).toBe(
      200,
    )
    // ola's tablet is up to date before the handover: its cursor is past pia's records.
    const olaTablet = new Device()
    const own = olaTablet.body(caseOps(olaTablet, w.ola.personId, 'OLA-1').ops)
    expect((await call(app, w.ola, 'POST', '/api/sync/push', own)).statusCode).toBe(200)
    const before = await pull(app, w.ola)
    expect(before.changes.map((c) => c.payload.code ?? c.entity)).toEqual([
      'OLA-1',
      'episode',
      'administration',
    ])
    const handover = `/api/admin/people/${w.pia.personId}/handover`
    const early = await call(app, w.admin, 'POST', handover, { toPersonId: w.ola.personId })
    expect(early.statusCode).toBe(409)
    await call(app, w.admin, 'POST', `/api/admin/people/${w.pia.personId}/deactivate`)
    const toSupervisor = await call(app, w.admin, 'POST', handover, { toPersonId: w.vera.personId })
    expect(toSupervisor.statusCode).toBe(400)
    const res = await call(app, w.admin, 'POST', handover, { toPersonId: w.ola.personId })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true, clients: 1 })
    const after = await pull(app, w.ola, before.cursor)
    expect(after.changes.map((c) => c.entity)).toEqual(['client', 'episode', 'administration'])
    expect(after.changes.every((c) => c.access === 'write')).toBe(true)
    expect(after.changes[0]?.payload.practitionerIds).toEqual([w.ola.personId])
    const edit = { ...client, practitionerIds: [w.ola.personId], code: 'HO-2', codeSearch: 'ho-2' }
    const write = await call(
      app,
      w.ola,
      'POST',
      '/api/sync/push',
      olaTablet.body([olaTablet.op('client', 'update', edit)]),
    )
    expect(write.statusCode).toBe(200)
    expect(write.json().results[0].status).toBe('applied')
    const log = await call(app, w.admin, 'GET', `/api/admin/audit?action=clients_handed_over`)
    expect(log.json()).toMatchObject([{ target: w.pia.personId }])
    expect(log.body).not.toContain('HO-1')
  })

  it('renaming a unit keeps its id; an unknown unit is 404', async () => {
    const id = (await call(app, w.admin, 'POST', '/api/admin/units', { name: 'Sør' })).json().id
    const res = await call(app, w.admin, 'PATCH', `/api/admin/units/${id}`, { name: ' Sør-Vest ' })
    expect(res.json()).toEqual({ id, name: 'Sør-Vest', retired: false })
    expect(
      (await call(app, w.admin, 'PATCH', '/api/admin/units/none', { name: 'X' })).statusCode,
    ).toBe(404)
    expect(
      (await call(app, w.admin, 'PATCH', `/api/admin/units/${id}`, { name: '' })).statusCode,
    ).toBe(400)
  })

  it('the audit log is searchable by person, action and date', async () => {
    const all = (await call(app, w.admin, 'GET', '/api/admin/audit')).json<
      { action: string; actorId: string | null; target: string | null; at: string }[]
    >()
    const byPia = (
      await call(app, w.admin, 'GET', `/api/admin/audit?personId=${w.pia.personId}`)
    ).json<typeof all>()
    expect(byPia.length).toBeGreaterThanOrEqual(3) // created, supervised, logged in
    expect(byPia.every((e) => e.actorId === w.pia.personId || e.target === w.pia.personId)).toBe(
      true,
    )
    expect(byPia).toEqual(
      all.filter((e) => e.actorId === w.pia.personId || e.target === w.pia.personId),
    )
    const created = (
      await call(app, w.admin, 'GET', '/api/admin/audit?action=person_created')
    ).json<typeof all>()
    expect(created).toHaveLength(4)
    const today = new Date().toISOString().slice(0, 10)
    expect(
      (await call(app, w.admin, 'GET', `/api/admin/audit?from=${today}&to=${today}`)).json(),
    ).toHaveLength(all.length)
    expect((await call(app, w.admin, 'GET', '/api/admin/audit?from=2099-01-01')).json()).toEqual([])
    // Past the sane range (2000–2100) a date is refused, naming the parameter.
    const far = await call(app, w.admin, 'GET', '/api/admin/audit?from=2999-01-01')
    expect([far.statusCode, far.json().error, far.json().param]).toEqual([
      400,
      'invalid_date',
      'from',
    ])
    expect((await call(app, w.admin, 'GET', '/api/admin/audit?to=2000-01-01')).json()).toEqual([])
    expect((await call(app, w.admin, 'GET', '/api/admin/audit?from=yesterday')).statusCode).toBe(
      400,
    )
    expect((await call(app, w.admin, 'GET', '/api/admin/audit?limit=2')).json()).toHaveLength(2)
  })
})
