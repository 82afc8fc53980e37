import { afterEach, describe, expect, it } from 'vitest'
import { recordProblem } from '../../src/core/record-check.ts'
import type { PulledChange } from '../../src/core/sync-protocol.ts'
import type { PullResponse, PushOperation } from '../../src/core/sync-schemas.ts'
import type { DemoOperationsHook } from '../../sync-server/src/accounts/demo-records.ts'
import { appOn, backends, createTestDatabase, type TestDatabase } from './support/backends.ts'
import { login } from './support/world.ts'

describe.each(backends())('first start and demo (%s)', (backend) => {
  let database: TestDatabase | undefined
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
    await database?.drop()
    database = undefined
  })

  it('creates admin with a random password printed once, and never again', async () => {
    database = await createTestDatabase(backend)
    const first = await appOn(database, { LINJA_ADMIN_PASSWORD: '' })
    closers.push(first.close)
    expect(first.printed).toHaveLength(1)
    const password = /password (\S+) /.exec(first.printed[0] ?? '')?.[1] ?? ''
    expect(password.length).toBeGreaterThanOrEqual(16)
    await login(first.app, 'admin', password)
    const second = await appOn(database, { LINJA_ADMIN_PASSWORD: '' })
    closers.push(second.close)
    expect(second.printed).toEqual([])
  })

  it('LINJA_DEMO=1 seeds units, staff and clients once; the leader sees unit aggregates only', async () => {
    database = await createTestDatabase(backend)
    const env = { LINJA_DEMO: '1', LINJA_DEMO_PASSWORD: 'demo-password-9' }
    const first = await appOn(database, env)
    closers.push(first.close)
    const again = await appOn(database, env)
    closers.push(again.close)
    const app = again.app
    const admin = await login(app, 'admin', 'admin-password-1')
    const people = await app.inject({
      method: 'GET',
      url: '/api/admin/people',
      headers: admin.headers,
    })
    expect(people.json().map((p: { username: string }) => p.username)).toEqual([
      'admin',
      'lars',
      'per',
      'pia',
      'vera',
    ])
    // The seed's own device sessions were never a tablet: the administrator sees only real sign-ins.
    const tablets = await app.inject({ url: '/api/admin/tablets', headers: admin.headers })
    expect(tablets.json<{ name: string }[]>().map((t) => t.name)).toEqual(['test tablet'])
    const pia = await login(app, 'pia', 'demo-password-9')
    const pulled = await app.inject({
      method: 'GET',
      url: '/api/sync/pull?limit=1000',
      headers: pia.headers,
    })
    const changes: PulledChange[] = pulled.json().changes
    // Every demo record passes the check the app runs before it stores a pulled record.
    expect(changes.map((c) => recordProblem(c.entity, c.payload)).filter(Boolean)).toEqual([])
    const clients = changes.filter((c) => c.entity === 'client')
    expect(clients).toHaveLength(6)
    // Half the demo's episodes were ended by an `end` push, as a tablet ends one.
    const ended = changes.filter((c) => c.entity === 'episode' && c.payload.endedAt !== null)
    expect(ended).toHaveLength(3)
    const unitId = clients[0]?.entity === 'client' ? (clients[0].payload.unitId ?? '') : ''

    const lars = await login(app, 'lars', 'demo-password-9')
    expect(
      (await app.inject({ method: 'GET', url: '/api/sync/pull', headers: lars.headers }))
        .statusCode,
    ).toBe(403)
    // The demo's episodes all start on one day some weeks ago: one of these two years holds them.
    const year = new Date().getUTCFullYear()
    const yearsOf = (id: string) =>
      `/api/reports?unitId=${id}&period=year&from=${year - 1}-01-01&to=${year}-12-31`
    const report = await app.inject({ method: 'GET', url: yearsOf(unitId), headers: lars.headers })
    expect(report.statusCode).toBe(200)
    expect(report.json()).toMatchObject({ unitName: 'Psykisk helse og rus' })
    type Row = { n: number; suppressed: boolean; aggregates: { clients: { total: object } } }
    const withData = (rows: Row[]) => rows.filter((r) => r.n > 0 || r.suppressed)
    const [phr] = withData(report.json().rows)
    expect(phr?.aggregates.clients.total).toMatchObject({ n: expect.any(Number), clients: 6 })
    // Barnevern has two demo clients: below the minimum group size, every figure is hidden.
    const vera = await login(app, 'vera', 'demo-password-9')
    const veraSees = await app.inject({
      method: 'GET',
      url: '/api/sync/pull?limit=1000',
      headers: vera.headers,
    })
    const bv = veraSees
      .json()
      .changes.find(
        (c: { entity: string; payload: { code?: string } }) => c.payload.code === 'BV-01',
      )
    const small = await app.inject({
      method: 'GET',
      url: yearsOf(bv.payload.unitId),
      headers: lars.headers,
    })
    const [barnevern] = withData(small.json().rows)
    expect(barnevern?.suppressed).toBe(true)
    expect(barnevern?.aggregates).toMatchObject({
      suppressed: true,
      clients: { total: { value: null } },
    })
    const piaReport = await app.inject({
      method: 'GET',
      url: yearsOf(unitId),
      headers: pia.headers,
    })
    expect(piaReport.statusCode).toBe(403)
  })
})

describe.each(backends())('demo seed through the push path (%s)', (backend) => {
  let database: TestDatabase | undefined
  afterEach(async () => {
    await database?.drop()
    database = undefined
  })
  const env = { LINJA_DEMO: '1', LINJA_DEMO_PASSWORD: 'demo-password-9' }
  const spoil =
    (change: (op: PushOperation) => PushOperation): DemoOperationsHook =>
    (ops) => {
      const at = ops.findIndex((op) => op.entity === 'administration')
      return ops.map((op, i) => (i === at ? change(op) : op))
    }

  it.each([
    [
      'a date that is not a date (the push body check)',
      spoil((op) => ({ ...op, createdAt: 'last tuesday' })),
      /Demo seed refused: invalid_operation: Operation seq 3/,
    ],
    [
      'an ORS item above 10 (the score check)',
      spoil((op) =>
        op.entity === 'administration'
          ? {
              ...op,
              payload: {
                ...op.payload,
                items: { ...op.payload.items, [Object.keys(op.payload.items)[0] ?? '']: 11 },
              },
            }
          : op,
      ),
      /Demo seed refused: operation seq 3 rejected invalid items/,
    ],
  ])(
    'a demo record with %s stops the start, naming the operation; the next start seeds the demo',
    async (_, hook, message) => {
      database = await createTestDatabase(backend)
      await expect(appOn(database, env, { demoOperations: hook })).rejects.toThrow(message)
      // The failed seed left no "seeded" mark: the next start with sound records finishes it.
      const retry = await appOn(database, env)
      try {
        expect(retry.printed).toEqual([expect.stringMatching(/^Linja demo: users pia, per/)])
        const per = await login(retry.app, 'per', 'demo-password-9')
        const pulled = await retry.app.inject({ url: '/api/sync/pull', headers: per.headers })
        const codes = pulled
          .json<PullResponse>()
          .changes.flatMap((c) => (c.entity === 'client' ? [c.payload.code] : []))
        expect(codes.sort()).toEqual(['BV-01', 'BV-02'])
      } finally {
        await retry.close()
      }
    },
  )
})

describe.each(backends())('units (%s)', (backend) => {
  let database: TestDatabase | undefined
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
    await database?.drop()
    database = undefined
  })

  it('an admin creates and retires units and places new people in them; others may not', async () => {
    database = await createTestDatabase(backend)
    const server = await appOn(database)
    close = server.close
    const app = server.app
    const admin = await login(app, 'admin', 'admin-password-1')
    const made = await app.inject({
      method: 'POST',
      url: '/api/admin/units',
      headers: admin.headers,
      payload: { name: 'Barnevern' },
    })
    expect(made.statusCode).toBe(201)
    const unitId = made.json().id as string
    const person = await app.inject({
      method: 'POST',
      url: '/api/admin/people',
      headers: admin.headers,
      payload: {
        username: 'lise',
        displayName: 'Lise',
        password: 'a-long-password-1',
        roles: ['leader'],
        unitIds: [unitId],
      },
    })
    expect(person.json()).toMatchObject({ unitIds: [unitId] })
    const lise = await login(app, 'lise', 'a-long-password-1')
    const listed = await app.inject({
      method: 'GET',
      url: '/api/admin/units',
      headers: lise.headers,
    })
    expect(listed.json()).toEqual([{ id: unitId, name: 'Barnevern', retired: false }])
    const denied = await app.inject({
      method: 'POST',
      url: '/api/admin/units',
      headers: lise.headers,
      payload: { name: 'Mine' },
    })
    expect(denied.statusCode).toBe(403)
    const retired = await app.inject({
      method: 'POST',
      url: `/api/admin/units/${unitId}/retire`,
      headers: admin.headers,
    })
    expect(retired.json()).toMatchObject({ retired: true })
  })
})
