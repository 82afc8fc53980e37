import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { pushCases } from './support/seed.ts'
import { makeWorld, type Session, type World } from './support/world.ts'

type Who = keyof World
const ALL: Who[] = ['admin', 'pia', 'ola', 'vera', 'lars']
const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']

function get(app: FastifyInstance, who: Session, url: string) {
  return app.inject({ method: 'GET', url, headers: who.headers })
}

interface Row {
  clientId: string
  code: string
  colour: string
  reasons: { key: string }[]
  closed: boolean
  lastMarkedAt: string | null
}

describe.each(backends())('supervision (%s)', (backend) => {
  let server: TestServer
  let w: World
  let app: FastifyInstance
  beforeAll(async () => {
    server = await serverFor(backend)
    app = server.app
    w = await makeWorld(app)
    await pushCases(app, w.pia, [
      { code: 'GREEN', totals: [12, 20, 28, 33], dates: WEEKS },
      { code: 'GREY', totals: [20], dates: ['2026-03-25'] },
      { code: 'RED', totals: [30, 24, 18, 14], dates: WEEKS },
      { code: 'OLD', totals: [15, 30], dates: ['2025-05-01', '2025-05-20'], endedAt: '2025-06-01' },
    ])
    await pushCases(app, w.ola, [{ code: 'NOT-VERAS', totals: [30, 10], dates: WEEKS }])
  })
  afterAll(async () => {
    await server.close()
  })

  async function superviseeRows(): Promise<Row[]> {
    const res = await get(app, w.vera, '/api/supervision/supervisees')
    expect(res.statusCode).toBe(200)
    const body = res.json<{ personId: string; clients: Row[] }[]>()
    expect(body.map((s) => s.personId)).toEqual([w.pia.personId])
    return body[0]?.clients ?? []
  }

  it('only a supervisor uses the supervision routes; everyone else gets 403', async () => {
    const rows = await superviseeRows()
    const urls = [
      '/api/supervision/supervisees',
      `/api/supervision/clients/${rows[0]?.clientId}`,
      `/api/supervision/supervisees/${w.pia.personId}/aggregates`,
    ]
    for (const who of ALL) {
      for (const url of urls) {
        expect((await get(app, w[who], url)).statusCode, `${who} ${url}`).toBe(
          who === 'vera' ? 200 : 403,
        )
      }
    }
  })

  it('lists the supervisee’s clients red first, then orange, green and grey, ended episodes last, with the reasons and last marking', async () => {
    const rows = await superviseeRows()
    expect(rows.map((r) => r.code)).not.toContain('NOT-VERAS')
    expect(rows[0]).toMatchObject({
      code: 'RED',
      colour: 'red',
      lastMarkedAt: '2026-03-23T10:00:00.000Z',
    })
    expect(rows[0]?.reasons.map((r) => r.key)).toContain('status.reason.reliableDeterioration')
    const order = ['red', 'orange', 'green', 'grey']
    const open = rows.filter((r) => !r.closed)
    const ranks = open.map((r) => order.indexOf(r.colour))
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    const grey = rows.find((r) => r.code === 'GREY')
    expect(grey?.colour).toBe('grey')
    // The reason that set the colour comes first, and says so over the wire.
    expect(grey?.reasons[0]).toMatchObject({ key: 'status.reason.tooFewOutcome', role: 'colour' })
    expect(open.at(-1)?.colour).toBe('grey')
    // The ended episode (green when it ended) comes after every open one, grey included.
    expect(rows.at(-1)).toMatchObject({ code: 'OLD', closed: true, colour: 'green' })
    expect(rows.filter((r) => r.closed).map((r) => r.code)).toEqual(['OLD'])
  })

  it('shows a supervisee’s client read-only, and refuses anyone else’s client the same way as an unknown one', async () => {
    const red = (await superviseeRows()).find((r) => r.code === 'RED')
    const res = await get(app, w.vera, `/api/supervision/clients/${red?.clientId}`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.access).toBe('read')
    expect(body.records.map((r: { entity: string }) => r.entity)).toEqual([
      'client',
      'episode',
      'administration',
      'administration',
      'administration',
      'administration',
    ])
    const olas = (await get(app, w.ola, '/api/sync/pull?limit=1000')).json().changes[0].clientId
    const other = await get(app, w.vera, `/api/supervision/clients/${olas}`)
    const unknown = await get(app, w.vera, '/api/supervision/clients/no-such-client')
    expect([other.statusCode, unknown.statusCode]).toEqual([403, 403])
    expect(other.json()).toEqual(unknown.json())
  })

  it('aggregates a supervisee’s episodes started in the period, with n', async () => {
    const url = `/api/supervision/supervisees/${w.pia.personId}/aggregates`
    expect((await get(app, w.vera, url)).json().n).toBe(4)
    const march = await get(app, w.vera, `${url}?from=2026-03-01&to=2026-03-31`)
    expect(march.json()).toMatchObject({ n: 3, from: '2026-03-01', to: '2026-03-31' })
    expect(march.json().aggregates).toBeTypeOf('object')
    expect((await get(app, w.vera, `${url}?from=2025-01-01&to=2025-12-31`)).json().n).toBe(1)
    expect((await get(app, w.vera, `${url}?from=2026-04-01&to=2026-03-01`)).statusCode).toBe(400)
    expect((await get(app, w.vera, `${url}?from=March`)).statusCode).toBe(400)
    const olas = `/api/supervision/supervisees/${w.ola.personId}/aggregates`
    expect((await get(app, w.vera, olas)).statusCode).toBe(403)
  })
})
