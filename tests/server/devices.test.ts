import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device } from './support/ops.ts'
import { makeWorld, PASSWORD, type Session } from './support/world.ts'

interface Tablet {
  id: string
  name: string
  appVersion: string | null
  lastContactAt: string
  people: string[]
  active: boolean
}

async function signInOn(
  app: FastifyInstance,
  username: string,
  device: { id?: string; name: string; version?: string },
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: {
      username,
      password: PASSWORD,
      deviceName: device.name,
      ...(device.id ? { deviceId: device.id } : {}),
      ...(device.version ? { appVersion: device.version } : {}),
    },
  })
  expect(res.statusCode, res.body).toBe(200)
  const body = res.json<{
    accessToken: string
    refreshToken: string
    deviceSessionId: string
    person: { id: string }
  }>()
  return {
    personId: body.person.id,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    deviceSessionId: body.deviceSessionId,
    headers: { authorization: `Bearer ${body.accessToken}`, 'x-linja-protocol': '1' },
  }
}

describe.each(backends())(
  'tablets: one device however often people sign in (%s)',
  { timeout: 30_000 },
  (backend) => {
    let server: TestServer | undefined
    afterEach(async () => {
      await server?.close()
      server = undefined
    })

    it('four sign-ins on one tablet are one tablet, with its first name, latest version and who is on it', async () => {
      server = await serverFor(backend)
      const app = server.app
      const world = await makeWorld(app)
      const tabletId = '0193f1d2-7a7b-7c3d-9e4f-a1b2c3d4e5f6'
      await signInOn(app, 'pia', { id: tabletId, name: 'Nettbrett 3', version: '0.1.0' })
      await signInOn(app, 'pia', { id: tabletId, name: 'Nettbrett', version: '0.1.0' })
      await signInOn(app, 'ola', { id: tabletId, name: 'Nettbrett', version: '0.1.0' })
      await signInOn(app, 'pia', { id: tabletId, name: 'Nettbrett', version: '0.2.0' })
      const list = await app.inject({
        method: 'GET',
        url: '/api/admin/tablets',
        headers: world.admin.headers,
      })
      expect(list.statusCode).toBe(200)
      const mine = list.json<Tablet[]>().filter((t) => t.id === tabletId)
      expect(mine).toEqual([
        {
          id: tabletId,
          name: 'Nettbrett 3',
          appVersion: '0.2.0',
          lastContactAt: expect.any(String),
          people: expect.arrayContaining(['pia', 'ola']),
          active: true,
        },
      ])
      expect(mine[0]?.people).toHaveLength(2)
    })

    it('the tablet is bound at sign-in: its outbox may push, another device id may not', async () => {
      server = await serverFor(backend)
      const app = server.app
      await makeWorld(app)
      const device = new Device()
      const pia = await signInOn(app, 'pia', { id: device.deviceId, name: 'Pias nettbrett' })
      const stranger = new Device()
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: pia.headers,
        payload: stranger.body(caseOps(stranger, pia.personId).ops),
      })
      expect(wrong.statusCode).toBe(403)
      expect(wrong.json()).toMatchObject({ error: 'device_not_yours' })
      const right = await app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: pia.headers,
        payload: device.body(caseOps(device, pia.personId).ops),
      })
      expect(right.statusCode, right.body).toBe(200)
    })

    it('the tablet is renamed from the tablet itself and by the admin; nobody else, no blank names', async () => {
      server = await serverFor(backend)
      const app = server.app
      const world = await makeWorld(app)
      const tabletId = 'tablet-a'
      const pia = await signInOn(app, 'pia', { id: tabletId, name: 'Nettbrett' })
      const current = await app.inject({
        method: 'GET',
        url: '/api/devices/current',
        headers: pia.headers,
      })
      expect(current.json()).toEqual({ id: tabletId, name: 'Nettbrett' })
      const blank = await app.inject({
        method: 'PUT',
        url: '/api/devices/current',
        headers: pia.headers,
        payload: { name: '   ' },
      })
      expect(blank.statusCode).toBe(400)
      const renamed = await app.inject({
        method: 'PUT',
        url: '/api/devices/current',
        headers: pia.headers,
        payload: { name: ' Bilen ' },
      })
      expect(renamed.json()).toEqual({ id: tabletId, name: 'Bilen' })
      // A later sign-in keeps the tablet's name (the name sent is only the first one).
      await signInOn(app, 'pia', { id: tabletId, name: 'Nettbrett' })
      const asLeader = await app.inject({
        method: 'PUT',
        url: `/api/admin/tablets/${tabletId}`,
        headers: world.lars.headers,
        payload: { name: 'Mitt' },
      })
      expect(asLeader.statusCode).toBe(403)
      const nobody = await app.inject({
        method: 'PUT',
        url: '/api/devices/current',
        payload: { name: 'Mitt' },
      })
      expect(nobody.statusCode).toBe(401)
      const byAdmin = await app.inject({
        method: 'PUT',
        url: `/api/admin/tablets/${tabletId}`,
        headers: world.admin.headers,
        payload: { name: 'Hjemmebesøk 2' },
      })
      expect(byAdmin.statusCode).toBe(200)
      const unknown = await app.inject({
        method: 'PUT',
        url: '/api/admin/tablets/no-such-tablet',
        headers: world.admin.headers,
        payload: { name: 'X' },
      })
      expect(unknown.statusCode).toBe(404)
      const again = await app.inject({
        method: 'GET',
        url: '/api/devices/current',
        headers: pia.headers,
      })
      expect(again.json()).toEqual({ id: tabletId, name: 'Hjemmebesøk 2' })
    })

    it('revoking a tablet signs everyone out of it; its sessions answer device_revoked with a wipe', async () => {
      server = await serverFor(backend)
      const app = server.app
      const world = await makeWorld(app)
      const pia = await signInOn(app, 'pia', { id: 'tablet-b', name: 'B' })
      const ola = await signInOn(app, 'ola', { id: 'tablet-b', name: 'B' })
      const revoke = await app.inject({
        method: 'POST',
        url: '/api/admin/tablets/tablet-b/revoke',
        headers: world.admin.headers,
      })
      expect(revoke.statusCode).toBe(200)
      for (const s of [pia, ola]) {
        const r = await app.inject({
          method: 'POST',
          url: '/api/auth/refresh',
          payload: { refreshToken: s.refreshToken },
        })
        expect(r.json()).toMatchObject({ error: 'device_revoked', wipe: true })
      }
      const list = await app.inject({
        method: 'GET',
        url: '/api/admin/tablets',
        headers: world.admin.headers,
      })
      expect(list.json<Tablet[]>().find((t) => t.id === 'tablet-b')).toMatchObject({
        active: false,
        people: [],
      })
    })
  },
)
