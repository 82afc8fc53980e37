// Reports from the read model (episode_facts, kept by the push and rebuilt after a settings change) equal reports computed from every record, as before the read model, on random datasets.
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  computeAggregates,
  type EpisodeFacts,
  episodeFacts,
  ORGANISATION_NODE,
  type Period,
  type ProtectedYear,
  periodOf,
  periodsBetween,
  protectYear,
} from '../../src/core/index.ts'
import { readSettings } from '../../sync-server/src/accounts/settings.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import type { Database } from '../../sync-server/src/db/schema.ts'
import { loadEpisodesWithUnits } from '../../sync-server/src/reports/episodes.ts'
import { aggregateOptions, factsReady } from '../../sync-server/src/reports/facts.ts'
import { rng } from '../core/builders.ts'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import type { TestOperation } from './support/ops.ts'
import { clientPayload, Device, episodePayload, orsPayload } from './support/ops.ts'
import { makeWorld, type World } from './support/world.ts'

/** LINJA_FC_RUNS for more datasets; LINJA_FC_SEED replays a failure (the seed is in its message). */
const RUNS = Number(process.env.LINJA_FC_RUNS ?? 3)
const SEED = Number(process.env.LINJA_FC_SEED ?? Math.floor(Math.random() * 2 ** 31))
const FROM = '2025-01-01'
const TO = '2026-12-31'

type AgeGroup = 'adult' | 'adolescent' | 'child' | 'young'
const ITEMS: Record<string, readonly string[]> = {
  ORS: ['ors.individually', 'ors.interpersonally', 'ors.socially', 'ors.overall'],
  SRS: ['srs.relationship', 'srs.goals', 'srs.approach', 'srs.overall'],
  CORS: ['cors.me', 'cors.family', 'cors.school', 'cors.everything'],
  CSRS: ['csrs.listening', 'csrs.important', 'csrs.what-we-did', 'csrs.overall'],
  YCORS: ['ycors.overall'],
  YCSRS: ['ycsrs.overall'],
}
/** Outcome and session-rating form of each age group. */
const FORMS: Record<AgeGroup, [string, string]> = {
  adult: ['ORS', 'SRS'],
  adolescent: ['ORS', 'SRS'],
  child: ['CORS', 'CSRS'],
  young: ['YCORS', 'YCSRS'],
}
const ENDINGS = ['planned', 'unplanned', 'referred', 'other', null] as const

interface Form {
  head: Record<string, unknown>
  first: string
}
interface EpisodeState {
  payload: Record<string, unknown>
  sessions: number
  forms: Form[]
}
interface ClientState {
  payload: Record<string, unknown>
  episodes: EpisodeState[]
}

/** Random pushes of one practitioner: cases, forms, corrections, voids, endings, reopenings, unit moves, age groups. */
function script(seed: number, units: readonly string[], owner: string, device: Device) {
  const random = rng(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T
  const day = (from: string, plus: number) =>
    new Date(Date.parse(`${from.slice(0, 10)}T00:00:00Z`) + plus * 86_400_000).toISOString()
  const clients: ClientState[] = []
  const items = (ids: readonly string[]) => {
    const tenths = ids.map(() => int(0, 100))
    return {
      items: Object.fromEntries(ids.map((id, i) => [id, (tenths[i] ?? 0) / 10])),
      total: tenths.reduce((s, t) => s + t, 0) / 10,
    }
  }
  const form = (c: ClientState, e: EpisodeState, instrumentId: string, session: number) => {
    const scored = items(ITEMS[instrumentId] ?? [])
    const at = day(String(e.payload.startedAt), session * 7)
    const outcome = FORMS.adult[0] === instrumentId || instrumentId.endsWith('CORS')
    return {
      ...orsPayload(String(c.payload.id), String(e.payload.id), scored.items, {
        session,
        markedAt: at,
        startedAt: at,
        rater: outcome && random() < 0.2 ? 'parent' : 'client',
      }),
      instrumentId,
      total: scored.total,
    }
  }
  const addForms = (c: ClientState, e: EpisodeState, ops: TestOperation[]) => {
    const session = ++e.sessions
    const [outcome, rating] = FORMS[c.payload.ageGroup as AgeGroup]
    for (const instrumentId of random() < 0.7 ? [outcome, rating] : [outcome]) {
      const p = form(c, e, instrumentId, session)
      e.forms.push({ head: p, first: p.id })
      ops.push(device.op('administration', 'create', p))
    }
  }
  const all = () => clients.flatMap((c) => c.episodes.map((e) => ({ c, e })))
  const actions: TestOperation[][] = []
  for (let step = 0; step < 18; step++) {
    const ops: TestOperation[] = []
    const roll = clients.length < 3 ? 0 : random()
    if (roll < 0.35) {
      const ageGroup = pick(['adult', 'adolescent', 'child', 'young'] as const)
      const client = {
        ...clientPayload([owner], `RM-${seed % 1000}-${clients.length}`),
        ageGroup,
        unitId: pick([...units, null]),
      }
      const c: ClientState = { payload: client, episodes: [] }
      clients.push(c)
      ops.push(device.op('client', 'create', client))
      for (let n = int(1, 2); n > 0; n--) {
        const start = day(FROM, int(0, 729))
        const e: EpisodeState = {
          payload: { ...episodePayload(client.id), startedAt: start },
          sessions: 0,
          forms: [],
        }
        c.episodes.push(e)
        ops.push(device.op('episode', 'create', e.payload))
        for (let k = int(0, 4); k > 0; k--) addForms(c, e, ops)
        if (random() < 0.5) {
          e.payload = { ...e.payload, endedAt: day(start, int(0, 120)), ending: pick(ENDINGS) }
          ops.push(device.op('episode', 'end', e.payload))
        }
      }
    } else if (roll < 0.5) {
      const { c, e } = pick(all())
      addForms(c, e, ops)
    } else if (roll < 0.62) {
      const { c, e } = pick(all())
      const f = e.forms.length ? pick(e.forms) : undefined
      if (!f || f.head.voided) continue
      const fresh = form(c, e, String(f.head.instrumentId), Number(f.head.session))
      const correction = {
        ...fresh,
        rater: f.head.rater,
        versionOf: f.first,
        supersedes: f.head.id,
        correctionReason: 'typed wrong',
      }
      ops.push(device.op('administration', 'correct', correction, String(f.head.id)))
      f.head = correction
    } else if (roll < 0.7) {
      const { e } = pick(all())
      const f = e.forms.length ? pick(e.forms) : undefined
      if (!f || f.head.voided) continue
      f.head = { ...f.head, voided: { reason: 'wrong client', at: '2026-11-20T10:00:00.000Z' } }
      ops.push(device.op('administration', 'void', f.head))
    } else if (roll < 0.8) {
      const { e } = pick(all())
      if (e.payload.endedAt) {
        const reopening = {
          at: '2026-11-20T10:00:00.000Z',
          reason: 'ended by mistake',
          endedAt: e.payload.endedAt,
          ending: e.payload.ending,
        }
        e.payload = { ...e.payload, endedAt: null, ending: null, reopenings: [reopening] }
        ops.push(device.op('episode', 'update', e.payload))
      } else {
        const ended = day(String(e.payload.startedAt), int(0, 200))
        e.payload = { ...e.payload, endedAt: ended, ending: pick(ENDINGS) }
        ops.push(device.op('episode', 'end', e.payload))
      }
    } else {
      const c = pick(clients)
      c.payload =
        random() < 0.5
          ? { ...c.payload, unitId: pick([...units, null]) }
          : { ...c.payload, ageGroup: pick(['adult', 'adolescent', 'child'] as const) }
      // A new age group keeps its forms: the old instruments stay as they are.
      ops.push(device.op('client', 'update', c.payload))
    }
    actions.push(ops)
  }
  return { actions, settingsChange: random() < 0.7, cutoff: int(20, 30), rci: int(3, 7) }
}

/** Today's full computation, kept as the oracle: every record read and every episode's facts computed per request. */
async function oracle(db: Kysely<Database>, unitIds: readonly string[], admin: boolean) {
  const options = aggregateOptions(await readSettings(db))
  const loaded = await loadEpisodesWithUnits(db, admin ? {} : { unitIds })
  const byUnit = new Map<string, EpisodeFacts[]>(unitIds.map((id) => [id, []]))
  const rest: EpisodeFacts[] = []
  for (const { episode, unitId } of loaded) {
    const list = unitId === null ? undefined : byUnit.get(unitId)
    ;(list ?? rest).push(episodeFacts(episode, options))
  }
  const scope = admin ? { units: byUnit, organisation: { rest } } : { units: byUnit }
  const years = new Map<number, ProtectedYear>()
  return (node: string, p: Period) => {
    const year = Number(p.from.slice(0, 4))
    const protectedYear = years.get(year) ?? protectYear(scope, year)
    years.set(year, protectedYear)
    const cell = protectedYear.get(node, p)
    if (!cell) throw new Error(`no cell ${node} ${p.key}`)
    return {
      n: cell.aggregates.episodes.total.n,
      suppressed: cell.suppressed,
      aggregates: cell.aggregates,
    }
  }
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown

describe.each(backends())('reports from the read model (%s)', (backend) => {
  let database: TestDatabase
  let server: TestServer
  let app: FastifyInstance
  let db: Kysely<Database>
  let closeDb: () => Promise<void>
  let w: World
  const units: string[] = []

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    // Pages of 3 rows: every report reads many pages, and some split a client's episodes.
    server = await appOn(database, {}, { reportPageRows: 3 })
    app = server.app
    const opened = openDatabase({
      dataDir: database.env.DATA_DIR ?? '',
      databaseUrl: database.env.DATABASE_URL ?? null,
    })
    db = opened.db
    closeDb = opened.close
    w = await makeWorld(app)
    for (const name of ['Nord', 'Sør']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/admin/units',
        headers: w.admin.headers,
        payload: { name },
      })
      units.push(res.json<{ id: string }>().id)
    }
    for (const [who, unitIds] of [
      [w.pia, units],
      [w.lars, units.slice(0, 1)],
    ] as const)
      await app.inject({
        method: 'PATCH',
        url: `/api/admin/people/${who.personId}`,
        headers: w.admin.headers,
        payload: { unitIds },
      })
  }, 60_000)

  afterAll(async () => {
    await closeDb?.()
    await server?.close()
    await database?.drop()
  })

  const get = async <T>(headers: Record<string, string>, url: string): Promise<T> => {
    const res = await app.inject({ method: 'GET', url, headers })
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return res.json<T>()
  }

  it('equals the full computation after pushes of every kind and a settings change', async () => {
    const device = new Device()
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (seed) => {
        const s = script(seed, units, w.pia.personId, device)
        for (const ops of s.actions) {
          const res = await app.inject({
            method: 'POST',
            url: '/api/sync/push',
            headers: w.pia.headers,
            payload: device.body(ops),
          })
          const refused = res.json<{ results?: { status: string }[] }>().results
          if (res.statusCode !== 200 || refused?.some((r) => r.status !== 'applied'))
            throw new Error(`push refused: ${res.body.slice(0, 300)}`)
        }
        if (s.settingsChange) {
          const put = await app.inject({
            method: 'PUT',
            url: '/api/admin/settings',
            headers: w.admin.headers,
            payload: {
              cutoffOverrides: { orsAdultCutoff: s.cutoff, reliableChange: s.rci },
              trajectory: null,
              idleLockMinutes: 5,
            },
          })
          expect(put.statusCode).toBe(200)
          for (;;) {
            const progress = await get<{ building: boolean }>(
              w.admin.headers,
              '/api/admin/settings/report-facts',
            )
            if (!progress.building) break
            await new Promise((r) => setTimeout(r, 20))
          }
        }
        // The answers below come from the kept facts, not from the records.
        expect(await factsReady(db), `seed ${seed}`).toBe(true)

        const admin = await oracle(db, units, true)
        const org = await get<{ rows: unknown[] }>(
          w.admin.headers,
          `/api/reports?period=month&from=${FROM}&to=${TO}`,
        )
        const months = periodsBetween(FROM, TO, 'month')
        expect(plain(org.rows), `seed ${seed}: organisation by month`).toEqual(
          plain(
            months.map((p) => ({
              period: p.key,
              from: p.from,
              to: p.to,
              ...admin(ORGANISATION_NODE, p),
            })),
          ),
        )
        const at = `${2025 + (seed % 2)}-0${1 + (seed % 9)}-15`
        const q = periodOf(at, 'quarter')
        const compare = await get<{ rows: unknown[] }>(
          w.admin.headers,
          `/api/reports/compare?period=quarter&at=${at}`,
        )
        expect(plain(compare.rows), `seed ${seed}: compare ${q.key}`).toEqual(
          plain([
            ...units.map((u, i) => ({ unitId: u, unitName: ['Nord', 'Sør'][i], ...admin(u, q) })),
            { unitId: null, unitName: 'Organisation', ...admin(ORGANISATION_NODE, q) },
          ]),
        )
        const leader = await oracle(db, units.slice(0, 1), false)
        const own = await get<{ rows: unknown[] }>(
          w.lars.headers,
          `/api/reports?unitId=${units[0]}&period=quarter&from=${FROM}&to=${TO}`,
        )
        expect(plain(own.rows), `seed ${seed}: leader's unit by quarter`).toEqual(
          plain(
            periodsBetween(FROM, TO, 'quarter').map((p) => ({
              period: p.key,
              from: p.from,
              to: p.to,
              ...leader(units[0] as string, p),
            })),
          ),
        )
        const from = '2025-04-01'
        const to = '2026-09-30'
        const supervised = await get<{ n: number; aggregates: unknown }>(
          w.vera.headers,
          `/api/supervision/supervisees/${w.pia.personId}/aggregates?from=${from}&to=${to}`,
        )
        const pias = (await loadEpisodesWithUnits(db))
          .map((l) => l.episode)
          .filter((e) => e.startedAt.slice(0, 10) >= from && e.startedAt.slice(0, 10) <= to)
        const settings = aggregateOptions(await readSettings(db))
        expect(plain(supervised), `seed ${seed}: supervision figures`).toEqual(
          plain({
            personId: w.pia.personId,
            from,
            to,
            n: pias.length,
            aggregates: computeAggregates(pias, settings),
          }),
        )
      }),
      // No shrinking: the data accumulates in one database; the seed replays the whole sequence.
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    )
  }, 120_000)
})
