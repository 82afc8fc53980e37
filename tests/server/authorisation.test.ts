import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device } from './support/ops.ts'
import { addPerson, login, makeWorld, PASSWORD, type World } from './support/world.ts'

type Who = keyof World
const ALL: Who[] = ['admin', 'pia', 'ola', 'vera', 'lars']

/** Which of the people may use each route (200/201); everyone else gets 403. */
const MATRIX: { name: string; allowed: Who[]; method: 'GET' | 'POST'; url: string }[] = [
  { name: 'pull', allowed: ['pia', 'ola', 'vera'], method: 'GET', url: '/api/sync/pull' },
  { name: 'list people', allowed: ['admin'], method: 'GET', url: '/api/admin/people' },
  { name: 'list tablets', allowed: ['admin'], method: 'GET', url: '/api/admin/tablets' },
  { name: 'audit log', allowed: ['admin'], method: 'GET', url: '/api/admin/audit' },
]

describe.each(backends())('authorisation matrix (%s)', (backend) => {
  let server: TestServer
  let world: World
  beforeAll(async () => {
    server = await serverFor(backend)
    world = await makeWorld(server.app)
  })
  afterAll(async () => {
    await server.close()
  })

  for (const row of MATRIX) {
    it.each(ALL)(`S15: ${row.name} as %s`, async (who) => {
      const res = await server.app.inject({
        method: row.method,
        url: row.url,
        headers: world[who].headers,
      })
      expect(res.statusCode).toBe(row.allowed.includes(who) ? 200 : 403)
      if (res.statusCode === 403) expect(res.json()).toMatchObject({ error: 'forbidden' })
    })
  }

  it.each(ALL)('S16: push as %s (only practitioners push)', async (who) => {
    const device = new Device()
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: world[who].headers,
      payload: device.body(caseOps(device, world[who].personId).ops),
    })
    expect(res.statusCode).toBe(['pia', 'ola'].includes(who) ? 200 : 403)
  })

  it('S16: a supervisor who also practises reads a supervisee’s client, but a push changing it is 403', async () => {
    const app = server.app
    const samId = await addPerson(app, world.admin, 'sam', ['practitioner', 'supervisor'])
    await app.inject({
      method: 'POST',
      url: '/api/admin/supervision',
      headers: world.admin.headers,
      payload: { supervisorId: samId, practitionerId: world.pia.personId },
    })
    const pia = await login(app, 'pia', PASSWORD, 'another tablet')
    const piaTablet = new Device()
    const { ops, client } = caseOps(piaTablet, pia.personId, 'SUP-1')
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: pia.headers,
      payload: piaTablet.body(ops),
    })
    expect(pushed.statusCode).toBe(200)
    const sam = await login(app, 'sam', PASSWORD)
    const pull = await app.inject({ method: 'GET', url: '/api/sync/pull', headers: sam.headers })
    const seen = pull.json().changes.find((c: { id: string }) => c.id === client.id)
    expect(seen).toMatchObject({ access: 'read' })
    const samTablet = new Device()
    const edit = { ...client, code: 'SUP-2', codeSearch: 'sup-2' }
    const res = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: sam.headers,
      payload: samTablet.body([samTablet.op('client', 'update', edit)]),
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: 'forbidden' })
  })

  it.each(ALL)('admin routes refuse creating people as %s unless admin', async (who) => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/admin/people',
      headers: world[who].headers,
      payload: {
        username: `new-${who}`,
        displayName: 'New',
        password: 'a-long-password-2',
        roles: ['practitioner'],
      },
    })
    expect(res.statusCode).toBe(who === 'admin' ? 201 : 403)
  })

  it('nobody without a token gets anything', async () => {
    for (const row of MATRIX) {
      const res = await server.app.inject({
        method: row.method,
        url: row.url,
        headers: { 'x-linja-protocol': '1' },
      })
      expect(res.statusCode).toBe(401)
    }
  })
})
