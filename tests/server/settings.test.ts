import type { FastifyInstance } from 'fastify'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_NORMS, MIN_EPISODES_FOR_FIT } from '../../src/core/index.ts'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { pushCases } from './support/seed.ts'
import { makeWorld, type Session, type World } from './support/world.ts'

type Who = keyof World
const ALL: Who[] = ['admin', 'pia', 'ola', 'vera', 'lars']

function call(
  app: FastifyInstance,
  who: Session,
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  payload?: unknown,
) {
  return app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) })
}

const closedCases = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    code: `F-${i}`,
    totals: [10 + (i % 8), 14 + (i % 8) + (i % 3), 18 + (i % 5), 20 + (i % 7)],
    dates: ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26'],
    endedAt: '2026-02-01',
  }))

describe.each(backends())('organisation settings (%s)', (backend) => {
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

  it('only the admin reads, writes and fits the settings; every signed-in person reads the device settings', async () => {
    const body = { idleLockMinutes: 7 }
    for (const who of ALL) {
      const expected = who === 'admin' ? [200, 200, 409] : [403, 403, 403]
      const got = [
        (await call(app, w[who], 'GET', '/api/admin/settings')).statusCode,
        (await call(app, w[who], 'PUT', '/api/admin/settings', body)).statusCode,
        (await call(app, w[who], 'POST', '/api/admin/settings/fit-trajectory')).statusCode,
      ]
      expect(got, who).toEqual(expected)
      expect((await call(app, w[who], 'GET', '/api/settings')).statusCode, who).toBe(200)
    }
    expect((await app.inject({ method: 'GET', url: '/api/settings' })).statusCode).toBe(401)
  })

  it('defaults until set; a valid PUT is stored and reaches the devices; an invalid one changes nothing', async () => {
    expect((await call(app, w.pia, 'GET', '/api/settings')).json()).toEqual({
      idleLockMinutes: 5,
      cutoffOverrides: {},
      norms: DEFAULT_NORMS,
      trajectory: null,
    })
    const good = { idleLockMinutes: 15, cutoffOverrides: { orsAdultCutoff: 23.5 } }
    const put = await call(app, w.admin, 'PUT', '/api/admin/settings', good)
    expect(put.statusCode).toBe(200)
    for (const bad of [
      { idleLockMinutes: 0 },
      { idleLockMinutes: 121 },
      { idleLockMinutes: 5, cutoffOverrides: { orsAdultCutoff: 41 } },
      { idleLockMinutes: 5, cutoffOverrides: { orsAdultCutoff: -1 } },
      { idleLockMinutes: 5, cutoffOverrides: { madeUp: 3 } },
      { idleLockMinutes: 5, trajectory: { a: 1 } },
      { cutoffOverrides: {} },
      { idleLockMinutes: 5, extra: true },
      { idleLockMinutes: 5, sessionIdleDays: 0 },
      { idleLockMinutes: 5, sessionMaxDays: 3651 },
      { idleLockMinutes: 5, sessionIdleDays: 31, sessionMaxDays: 30 },
      { idleLockMinutes: 5, twoFactorForAll: 'yes' },
    ]) {
      const res = await call(app, w.admin, 'PUT', '/api/admin/settings', bad)
      expect(res.statusCode, JSON.stringify(bad)).toBe(400)
      expect(res.json()).toHaveProperty('error')
    }
    expect((await call(app, w.admin, 'GET', '/api/admin/settings')).json()).toEqual({
      ...good,
      trajectory: null,
      sessionIdleDays: 30,
      sessionMaxDays: 180,
      accessLogRetentionYears: 10,
      twoFactorForAll: false,
      remoteLinkHours: 168,
    })
    const device = (await call(app, w.ola, 'GET', '/api/settings')).json()
    expect(device.idleLockMinutes).toBe(15)
    expect(device.norms).toEqual({ ...DEFAULT_NORMS, orsAdultCutoff: 23.5 })
    const log = (await call(app, w.admin, 'GET', '/api/admin/audit?action=settings_changed')).json()
    expect(log).toHaveLength(1)
  })

  it('fitting refuses below the minimum with n, fits at the minimum, and changes the settings only on PUT', async () => {
    await pushCases(app, w.pia, closedCases(MIN_EPISODES_FOR_FIT - 1))
    // An open episode does not count.
    await pushCases(app, w.ola, [
      { code: 'OPEN', totals: [10, 20], dates: ['2026-01-05', '2026-01-12'], endedAt: null },
    ])
    const few = await call(app, w.admin, 'POST', '/api/admin/settings/fit-trajectory')
    expect(few.statusCode).toBe(409)
    expect(few.json()).toMatchObject({
      error: 'too_few_episodes',
      n: MIN_EPISODES_FOR_FIT - 1,
      minimum: MIN_EPISODES_FOR_FIT,
    })
    await pushCases(app, w.ola, closedCases(1))
    const fit = await call(app, w.admin, 'POST', '/api/admin/settings/fit-trajectory')
    expect(fit.statusCode).toBe(200)
    const { n, params } = fit.json()
    expect(n).toBe(MIN_EPISODES_FOR_FIT)
    expect(params).toMatchObject({ source: 'fitted', n: MIN_EPISODES_FOR_FIT })
    expect((await call(app, w.pia, 'GET', '/api/settings')).json().trajectory).toBeNull()
    const put = await call(app, w.admin, 'PUT', '/api/admin/settings', {
      idleLockMinutes: 5,
      trajectory: params,
    })
    expect(put.statusCode).toBe(200)
    expect((await call(app, w.pia, 'GET', '/api/settings')).json().trajectory).toEqual(params)
  })
})
