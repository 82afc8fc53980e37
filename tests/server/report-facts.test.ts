// The reports' read model is built for data that was there before it (an upgrade), rebuilt after a settings change with progress for the administrator only, and logged without client codes or scores.
import type { FastifyBaseLogger } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { loadEpisodesWithUnits } from '../../sync-server/src/reports/episodes.ts'
import { factsOf, factsReady } from '../../sync-server/src/reports/facts.ts'
import { FactsBuilder } from '../../sync-server/src/reports/facts-builder.ts'
import { appOn, backends, createTestDatabase, type TestDatabase } from './support/backends.ts'
import { clientPayload, Device, episodePayload, orsPayload } from './support/ops.ts'
import { orsItems, pushCases } from './support/seed.ts'
import { makeWorld, type Session } from './support/world.ts'

const CASES = [
  [10, 14],
  [12, 16],
  [15, 19],
  [20, 24],
  [18, 30],
].map(([a, b], i) => ({
  code: `SECRET-${i}`,
  totals: [a ?? 0, b ?? 0],
  dates: ['2026-02-02', '2026-02-16'],
  endedAt: '2026-03-01',
}))
const report = (unitId: string) =>
  `/api/reports?unitId=${unitId}&period=year&from=2026-01-01&to=2026-12-31`

describe.each(backends())('report facts (%s)', (backend) => {
  let database: TestDatabase | undefined
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
    await database?.drop()
    database = undefined
  })

  async function start() {
    database ??= await createTestDatabase(backend)
    const server = await appOn(database)
    closers.push(server.close)
    return server.app
  }
  function ownHandle() {
    const opened = openDatabase({
      dataDir: database?.env.DATA_DIR ?? '',
      databaseUrl: database?.env.DATABASE_URL ?? null,
    })
    closers.push(opened.close)
    return opened
  }
  /** A world whose practitioner pia has put five closed cases in one unit. */
  async function seeded(app: Awaited<ReturnType<typeof start>>) {
    const w = await makeWorld(app)
    const unit = await app.inject({
      method: 'POST',
      url: '/api/admin/units',
      headers: w.admin.headers,
      payload: { name: 'Nord' },
    })
    const unitId = unit.json<{ id: string }>().id
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${w.pia.personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [unitId] },
    })
    await pushCases(
      app,
      w.pia,
      CASES.map((c) => ({ ...c, unitId })),
    )
    return { w, unitId }
  }
  const improved = async (app: Awaited<ReturnType<typeof start>>, who: Session, unitId: string) => {
    const res = await app.inject({ method: 'GET', url: report(unitId), headers: who.headers })
    expect(res.statusCode).toBe(200)
    return res.json().rows[0].aggregates.closedOutcomes.reliableImprovement.value
  }

  it('builds the facts of records that were there before them, at start', async () => {
    const first = await start()
    const { w, unitId } = await seeded(first)
    const before = await improved(first, w.admin, unitId)
    expect(before).toBe(20)
    // As if the server was upgraded from a version without the read model.
    const { db } = ownHandle()
    await db.deleteFrom('episode_facts').execute()
    await db.deleteFrom('meta').where('key', '=', 'episode_facts_built_for').execute()
    expect(await factsReady(db)).toBe(false)
    await closers.shift()?.()

    const again = await start()
    for (let i = 0; i < 200 && !(await factsReady(db)); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(await factsReady(db)).toBe(true)
    expect(await db.selectFrom('episode_facts').select('episode_id').execute()).toHaveLength(5)
    expect(await improved(again, w.admin, unitId)).toBe(before)
  }, 30_000)

  it('a new reliable-change index is rebuilt into the figures; only the administrator sees the progress', async () => {
    const app = await start()
    const { w, unitId } = await seeded(app)
    // Changes of 4, 4, 4, 4 and 12 points: one reliable improvement at the default index of 5.
    expect(await improved(app, w.admin, unitId)).toBe(20)
    const put = await app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: w.admin.headers,
      payload: { cutoffOverrides: { reliableChange: 4 }, trajectory: null, idleLockMinutes: 5 },
    })
    expect(put.statusCode).toBe(200)
    for (;;) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/admin/settings/report-facts',
        headers: w.admin.headers,
      })
      expect(res.statusCode).toBe(200)
      if (!res.json().building) break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(await improved(app, w.admin, unitId)).toBe(100)
    const { db } = ownHandle()
    expect(await factsReady(db)).toBe(true)
    for (const who of [w.pia, w.lars, w.vera]) {
      const res = await app.inject({
        method: 'GET',
        url: '/api/admin/settings/report-facts',
        headers: who.headers,
      })
      expect(res.statusCode).toBe(403)
    }
    const anonymous = await app.inject({ method: 'GET', url: '/api/admin/settings/report-facts' })
    expect(anonymous.statusCode).toBe(401)
  }, 30_000)

  it('logs a rebuild’s progress in counts, never a client code or a score', async () => {
    const app = await start()
    await seeded(app)
    const lines: string[] = []
    const record = (...args: unknown[]) => lines.push(JSON.stringify(args))
    const log = { info: record, error: record, warn: record } as unknown as FastifyBaseLogger
    const { db, dialect } = ownHandle()
    const builder = new FactsBuilder(db, dialect, log)
    builder.request()
    await builder.idle()
    expect(lines.some((l) => l.includes('"percent":100'))).toBe(true)
    expect(lines.join('\n')).not.toMatch(/SECRET|"intake"|"latest"|"facts"/)
  }, 30_000)

  it('a unit’s episodes read every form of their client, also after the client moved to another unit', async () => {
    const app = await start()
    const w = await makeWorld(app)
    const [nord = '', sor = ''] = await Promise.all(
      ['Nord', 'Sør'].map(
        async (name) =>
          (
            await app.inject({
              method: 'POST',
              url: '/api/admin/units',
              headers: w.admin.headers,
              payload: { name },
            })
          ).json<{ id: string }>().id,
      ),
    )
    await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${w.pia.personId}`,
      headers: w.admin.headers,
      payload: { unitIds: [nord, sor] },
    })
    // A child's case starts in Sør with one form; the client moves to Nord; the second form is
    // then filed under Nord while the episode stays filed under Sør.
    const device = new Device()
    const client = { ...clientPayload([w.pia.personId], 'MOVED-1'), unitId: sor, ageGroup: 'child' }
    const episode = { ...episodePayload(client.id), startedAt: '2026-04-01T09:00:00.000Z' }
    const form = (session: number, total: number, at: string) =>
      orsPayload(client.id, episode.id, orsItems(total), { session, markedAt: at, startedAt: at })
    const push = async (ops: unknown[]) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: w.pia.headers,
        payload: device.body(ops),
      })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().results.map((r: { status: string }) => r.status)).not.toContain('rejected')
    }
    await push([
      device.op('client', 'create', client),
      device.op('episode', 'create', episode),
      device.op('administration', 'create', form(1, 10, '2026-04-01T10:00:00.000Z')),
    ])
    await push([
      device.op('client', 'update', { ...client, unitId: nord }),
      device.op('administration', 'create', form(2, 30, '2026-04-15T10:00:00.000Z')),
    ])

    const { db } = ownHandle()
    const [inSor] = await loadEpisodesWithUnits(db, { unitIds: [sor] })
    expect(inSor?.unitId).toBe(sor)
    expect(inSor?.episode.administrations).toHaveLength(2)
    expect(inSor?.episode.ageGroup).toBe('child')
    // The same facts as the read model keeps for the episode (the report's fallback during a rebuild).
    const kept = await db
      .selectFrom('episode_facts')
      .select('facts')
      .where('episode_id', '=', inSor?.episode.id ?? '')
      .executeTakeFirstOrThrow()
    expect(factsOf(kept).sessions).toBe(2)
    expect(
      (await loadEpisodesWithUnits(db, { unitIds: [nord] })).map((e) => e.episode.id),
    ).not.toContain(inSor?.episode.id)
  }, 30_000)
})
