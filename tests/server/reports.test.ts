import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { type CaseSpec, pushCases } from './support/seed.ts'
import { makeWorld, type Session, type World } from './support/world.ts'

type Who = keyof World
const ALL: Who[] = ['admin', 'pia', 'ola', 'vera', 'lars']

// Intake and last ORS total of each client (one closed episode each, adults), per unit and quarter.
const DATA = {
  A: {
    '2026-Q1': [
      [10, 22],
      [15, 16],
      [20, 31],
      [12, 10],
      [18, 30],
    ],
    '2026-Q2': [
      [8, 20],
      [14, 15],
      [16, 28],
      [22, 23],
      [11, 9],
      [19, 33],
    ],
  },
  B: {
    '2026-Q1': [
      [20, 30],
      [10, 11],
      [12, 25],
      [15, 14],
    ],
    '2026-Q2': [
      [20, 21],
      [10, 25],
      [12, 13],
      [15, 30],
      [25, 26],
    ],
  },
} as const
const DATES = {
  '2026-Q1': { dates: ['2026-01-10', '2026-01-24'], endedAt: '2026-02-01' },
  '2026-Q2': { dates: ['2026-04-10', '2026-04-24'], endedAt: '2026-05-01' },
} as const
/** The reliable change index of the ORS (Miller et al.); every change in DATA is far from it. */
const RCI = 5

/** The expected figures, worked out here from DATA without the core. */
function expected(pairs: readonly (readonly number[])[]) {
  const intakes = pairs.map((p) => p[0] ?? 0)
  const improved = pairs.filter((p) => (p[1] ?? 0) - (p[0] ?? 0) >= RCI).length
  return {
    clients: pairs.length,
    meanIntake: intakes.reduce((a, b) => a + b, 0) / pairs.length,
    reliableImprovement: (100 * improved) / pairs.length,
  }
}

function get(app: FastifyInstance, who: Session, url: string) {
  return app.inject({ method: 'GET', url, headers: who.headers })
}

interface Figure {
  value: number | null
  n: number
  clients: number
}
interface Row {
  period: string
  n: number
  suppressed: boolean
  aggregates: {
    clients: { total: Figure }
    intakeOutcome: { adult: Figure }
    closedOutcomes: { reliableImprovement: Figure }
  }
}

describe.each(backends())('reports by period (%s)', (backend) => {
  let server: TestServer
  let w: World
  let app: FastifyInstance
  const units: Record<'A' | 'B', string> = { A: '', B: '' }
  const query = (unit: 'A' | 'B') =>
    `/api/reports?unitId=${units[unit]}&period=quarter&from=2026-01-01&to=2026-06-30`
  beforeAll(async () => {
    server = await serverFor(backend)
    app = server.app
    w = await makeWorld(app)
    for (const name of ['A', 'B'] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/admin/units',
        headers: w.admin.headers,
        payload: { name: `Unit ${name}` },
      })
      units[name] = res.json().id
    }
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${w.lars.personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [units.A] },
    })
    // A practitioner files clients only in her own units.
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${w.pia.personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [units.A, units.B] },
    })
    const specs: CaseSpec[] = []
    for (const unit of ['A', 'B'] as const) {
      for (const quarter of ['2026-Q1', '2026-Q2'] as const) {
        DATA[unit][quarter].forEach((totals, i) => {
          specs.push({
            code: `SECRET-${unit}${quarter}-${i}`,
            unitId: units[unit],
            totals,
            ...DATES[quarter],
          })
        })
      }
    }
    await pushCases(app, w.pia, specs)
  })
  afterAll(async () => {
    await server.close()
  })

  it('leaders see their own units only, admins every unit and the organisation, practitioners and supervisors nothing', async () => {
    const whole = '/api/reports?period=year&from=2026-01-01&to=2026-12-31'
    for (const who of ALL) {
      const got = [
        (await get(app, w[who], query('A'))).statusCode,
        (await get(app, w[who], query('B'))).statusCode,
        (await get(app, w[who], whole)).statusCode,
      ]
      const want =
        who === 'admin' ? [200, 200, 200] : who === 'lars' ? [200, 403, 403] : [403, 403, 403]
      expect(got, who).toEqual(want)
    }
  })

  it('gives every quarter the figures worked out independently, and never a client code', async () => {
    const res = await get(app, w.lars, query('A'))
    expect(res.body).not.toContain('SECRET')
    const rows = res.json<{ rows: Row[] }>().rows
    expect(rows.map((r) => r.period)).toEqual(['2026-Q1', '2026-Q2'])
    for (const row of rows) {
      const want = expected(DATA.A[row.period as '2026-Q1'])
      expect(row.suppressed).toBe(false)
      expect(row.n).toBe(want.clients)
      expect(row.aggregates.clients.total).toMatchObject({
        value: want.clients,
        clients: want.clients,
      })
      expect(row.aggregates.intakeOutcome.adult.value).toBeCloseTo(want.meanIntake, 6)
      expect(row.aggregates.intakeOutcome.adult.n).toBe(want.clients)
      expect(row.aggregates.closedOutcomes.reliableImprovement.value).toBeCloseTo(
        want.reliableImprovement,
        6,
      )
    }
    expect(rows[0]?.aggregates.closedOutcomes.reliableImprovement.value).toBeCloseTo(60, 6)
    expect(rows[1]?.aggregates.intakeOutcome.adult.value).toBeCloseTo(15, 6)
  })

  it('hides a unit’s quarter with 4 clients, and the next quarter, which the year minus it would give away', async () => {
    const res = await get(app, w.admin, query('B'))
    const [q1, q2] = res.json<{ rows: Row[] }>().rows
    expect(q1?.suppressed).toBe(true)
    expect(q1?.n).toBe(0)
    expect(q1?.aggregates.intakeOutcome.adult.value).toBeNull()
    expect(JSON.stringify(q1)).not.toContain('14.25')
    // The year (9 clients) is shown; with the second quarter shown too, year − Q2 = Q1.
    const year = await get(
      app,
      w.admin,
      `/api/reports?unitId=${units.B}&period=year&from=2026-01-01&to=2026-12-31`,
    )
    const whole = expected([...DATA.B['2026-Q1'], ...DATA.B['2026-Q2']])
    expect(year.json<{ rows: Row[] }>().rows[0]?.aggregates.intakeOutcome.adult.value).toBeCloseTo(
      whole.meanIntake,
      6,
    )
    expect(q2?.suppressed).toBe(false)
    expect(q2?.n).toBe(0)
    expect(q2?.aggregates.intakeOutcome.adult).toMatchObject({ value: null, suppressed: true })
    expect(q2?.aggregates.closedOutcomes.reliableImprovement).toMatchObject({ suppressed: true })
  })

  it('the whole organisation by year adds both units; a bad period is 400', async () => {
    const res = await get(app, w.admin, '/api/reports?period=year&from=2026-01-01&to=2026-12-31')
    const rows = res.json<{ rows: Row[] }>().rows
    const all = [
      ...DATA.A['2026-Q1'],
      ...DATA.A['2026-Q2'],
      ...DATA.B['2026-Q1'],
      ...DATA.B['2026-Q2'],
    ]
    const want = expected(all)
    expect(rows).toHaveLength(1)
    expect(rows[0]?.n).toBe(want.clients)
    expect(rows[0]?.aggregates.intakeOutcome.adult.value).toBeCloseTo(want.meanIntake, 6)
    expect(rows[0]?.aggregates.closedOutcomes.reliableImprovement.value).toBeCloseTo(
      want.reliableImprovement,
      6,
    )
    for (const bad of [
      '/api/reports?period=week&from=2026-01-01&to=2026-12-31',
      '/api/reports?period=month&from=2026-12-01&to=2026-01-01',
      '/api/reports?period=month&from=2000-01-01&to=2026-01-01',
      '/api/reports?period=month&from=2026-01-01',
    ]) {
      expect((await get(app, w.admin, bad)).statusCode, bad).toBe(400)
    }
  })
})

describe.each(backends())('report CSV and unit comparison (%s)', (backend) => {
  let server: TestServer
  let w: World
  let app: FastifyInstance
  const units: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' }
  /** Unit C has A's second-quarter clients, in the first quarter. */
  const firstQuarter = { ...DATA, C: { '2026-Q1': DATA.A['2026-Q2'] } }
  beforeAll(async () => {
    server = await serverFor(backend)
    app = server.app
    w = await makeWorld(app)
    for (const name of ['A', 'B', 'C'] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/admin/units',
        headers: w.admin.headers,
        payload: { name: `Unit ${name}` },
      })
      units[name] = res.json().id
    }
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${w.lars.personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [units.B] },
    })
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${w.pia.personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [units.A, units.B, units.C] },
    })
    const specs: CaseSpec[] = []
    for (const unit of ['A', 'B', 'C'] as const) {
      firstQuarter[unit]['2026-Q1'].forEach((totals, i) => {
        specs.push({ code: `C-${unit}-${i}`, unitId: units[unit], totals, ...DATES['2026-Q1'] })
      })
    }
    await pushCases(app, w.pia, specs)
  })
  afterAll(async () => {
    await server.close()
  })

  it('compares the units of one quarter next to the organisation, hiding the unit that the organisation minus the others would give away', async () => {
    const url = '/api/reports/compare?period=quarter&at=2026-02-15'
    for (const who of ['pia', 'ola', 'vera'] as const) {
      expect((await get(app, w[who], url)).statusCode).toBe(403)
    }
    const res = await get(app, w.admin, url)
    expect(res.statusCode).toBe(200)
    const body = res.json<{ period: string; rows: (Row & { unitName: string })[] }>()
    expect(body.period).toBe('2026-Q1')
    expect(body.rows.map((r) => [r.unitName, r.suppressed])).toEqual([
      ['Unit A', false],
      ['Unit B', true],
      ['Unit C', false],
      ['Organisation', false],
    ])
    const [a, b, c, org] = body.rows
    // B has 4 clients; organisation − A − C would be B, so A (the smallest shown) is hidden too.
    expect(b?.aggregates.intakeOutcome.adult.value).toBeNull()
    expect(a?.aggregates.intakeOutcome.adult).toMatchObject({ value: null, suppressed: true })
    expect(a?.n).toBe(0)
    expect(c?.aggregates.intakeOutcome.adult.value).toBeCloseTo(
      expected(firstQuarter.C['2026-Q1']).meanIntake,
      6,
    )
    const all = expected([...DATA.A['2026-Q1'], ...DATA.B['2026-Q1'], ...firstQuarter.C['2026-Q1']])
    expect(org?.n).toBe(15)
    expect(org?.aggregates.intakeOutcome.adult.value).toBeCloseTo(all.meanIntake, 6)
  })

  it('gives a leader his own units and no organisation row (organisation minus his units is the others)', async () => {
    const url = '/api/reports/compare?period=quarter&at=2026-02-15'
    const leader = (await get(app, w.lars, url)).json<{ rows: { unitName: string }[] }>()
    expect(leader.rows.map((r) => r.unitName)).toEqual(['Unit B'])
  })

  it('exports the report table as CSV with its columns, audited as an export', async () => {
    const url = `/api/reports.csv?unitId=${units.C}&period=quarter&from=2026-01-01&to=2026-03-31`
    expect((await get(app, w.lars, url)).statusCode).toBe(403)
    expect((await get(app, w.pia, url)).statusCode).toBe(403)
    const res = await get(app, w.admin, url)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    const lines = res.body.trim().split('\r\n')
    expect(lines[0]).toBe('unit,period,from,to,figure,value,n,clients,suppressed')
    expect(lines).toContain('Unit C,2026-Q1,2026-01-01,2026-03-31,clients.total,6,6,6,false')
    const ri = lines.find((l) => l.includes(',closedOutcomes.reliableImprovement,'))
    expect(ri?.split(',').slice(5, 8)).toEqual(['50', '6', '6'])
    expect(res.body).not.toContain('C-C-')
    const log = (await get(app, w.admin, '/api/admin/audit?action=export')).json()
    expect(log).toMatchObject([{ actorId: w.admin.personId, target: units.C }])
  })

  it('writes a unit name that a spreadsheet would run as a formula as text, as the device’s CSV does', async () => {
    const written = {
      '=HYPERLINK("https://example.org","x")': `"'=HYPERLINK(""https://example.org"",""x"")"`,
      '+1+1': "'+1+1",
      '-2+3': "'-2+3",
      '@SUM(1)': "'@SUM(1)",
    }
    for (const [name, field] of Object.entries(written)) {
      const made = await app.inject({
        method: 'POST',
        url: '/api/admin/units',
        headers: w.admin.headers,
        payload: { name },
      })
      const csv = await get(
        app,
        w.admin,
        `/api/reports.csv?unitId=${made.json().id}&period=year&from=2026-01-01&to=2026-12-31`,
      )
      const first = csv.body.split('\r\n')[1] ?? ''
      expect(first.startsWith(`${field},2026,2026-01-01,2026-12-31,`), first).toBe(true)
    }
  })
})
