// Aggregates on generated datasets, checked against a separate, deliberately plain
// implementation of the reference rules written here (it shares no helpers with src/core).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type AdministrationRecord,
  type AgeGroup,
  computeAggregates,
  type EpisodeRecord,
  type InstrumentId,
  type ReportFigure,
  type TrajectoryParams,
} from '../../src/core/index.ts'
import { rng } from './builders.ts'

const FORMS: Record<AgeGroup, [InstrumentId, InstrumentId]> = {
  adult: ['ORS', 'SRS'],
  adolescent: ['ORS', 'SRS'],
  child: ['CORS', 'CSRS'],
  young: ['YCORS', 'YCSRS'],
}
const ITEM_COUNT: Record<InstrumentId, number> = {
  ORS: 4,
  SRS: 4,
  CORS: 4,
  CSRS: 4,
  YCORS: 1,
  YCSRS: 1,
  GSRS: 4,
}
const ENDINGS = ['planned', 'unplanned', 'referred', 'other', null] as const
const AGE_GROUPS: AgeGroup[] = ['adult', 'adolescent', 'child', 'young']

function generate(seed: number, count: number): EpisodeRecord[] {
  const random = rng(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T
  const day = (offset: number) =>
    new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10)
  let id = 0
  const form = (
    instrumentId: InstrumentId,
    session: number,
    lo: number,
    extra: Partial<AdministrationRecord> = {},
  ) => {
    const tenths = Array.from({ length: ITEM_COUNT[instrumentId] }, () => int(lo, 100))
    const items = Object.fromEntries(tenths.map((t, i) => [`item${i}`, t / 10]))
    const total = tenths.reduce((s, t) => s + t, 0) / 10
    const record: AdministrationRecord = {
      id: `g${++id}`,
      instrumentId,
      items,
      total,
      session,
      markedAt: `${day(session)}T12:00:00Z`,
      rater: 'client',
      status: 'final',
      ...extra,
    }
    return record
  }
  const episodes: EpisodeRecord[] = []
  for (let i = 0; i < count; i++) {
    const ageGroup = pick(AGE_GROUPS)
    const [outcome, session] = FORMS[ageGroup]
    const start = i * 3 + int(0, 2) // unique start dates make "latest episode" unambiguous
    const closed = random() < 0.7
    const parentOnly = random() < 0.1
    const admins: AdministrationRecord[] = []
    for (let s = 1, sessions = int(0, 8); s <= sessions; s++) {
      const roll = random()
      const rater = parentOnly ? 'parent' : 'client'
      if (roll < 0.8) admins.push(form(outcome, s, int(0, 60), { rater }))
      else if (roll < 0.85) admins.push(form(outcome, s, 0, { rater, voided: true }))
      else if (roll < 0.9) admins.push(form(outcome, s, 0, { rater, status: 'draft' }))
      if (random() < 0.1) {
        // An earlier version replaced by a correction; the corrected one (above) counts.
        admins.push(
          form(outcome, s, 0, { rater, supersededBy: 'someone', markedAt: `${day(s)}T08:00:00Z` }),
        )
      }
      if (!parentOnly && random() < 0.15)
        admins.push(form(outcome, s, 0, { rater: pick(['parent', 'teacher', 'other'] as const) }))
      if (random() < 0.75) admins.push(form(session, s, int(60, 95)))
      else if (random() < 0.2) admins.push(form(session, s, 80, { voided: true }))
    }
    episodes.push({
      id: `ep${i}`,
      clientId: `client${int(0, Math.max(1, Math.floor(count * 0.7)))}`,
      ageGroup,
      startedAt: day(start),
      endedAt: closed ? day(start + int(0, 200)) : null,
      ending: closed ? pick(ENDINGS) : null,
      administrations: admins,
    })
  }
  return episodes
}

// ---- the independent implementation -------------------------------------------------------
const OUTCOME = ['ORS', 'CORS']
const SESSION = ['SRS', 'CSRS', 'GSRS']
const ok = (a: AdministrationRecord) => a.status === 'final' && !a.voided && !a.supersededBy
const round1 = (x: number) => Math.round(x * 10 + 1e-9) / 10
const avg = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null)
const pct = (hits: number, of: number) => (of ? (hits / of) * 100 : null)
const cutoff = (form: string, group: AgeGroup) =>
  form === 'ORS'
    ? group === 'adult'
      ? 25
      : group === 'adolescent'
        ? 28
        : null
    : group === 'child'
      ? 32
      : null

function outcomes(e: EpisodeRecord) {
  const list = e.administrations
    .filter((a) => ok(a) && OUTCOME.includes(a.instrumentId))
    .sort((x, y) => x.session - y.session)
  if (list.length === 0) return []
  const rater = list.some((a) => a.rater === 'client') ? 'client' : list[0]?.rater
  return list.filter((a) => a.rater === rater)
}
function ratings(e: EpisodeRecord) {
  return e.administrations
    .filter((a) => ok(a) && SESSION.includes(a.instrumentId))
    .sort((x, y) => x.session - y.session)
}
function line(p: TrajectoryParams, intake: number, k: number, offset: number) {
  return round1(Math.max(0, Math.min(40, intake + (p.a + p.b * intake + offset) * Math.log(k))))
}
function greenAtEnd(e: EpisodeRecord, p: TrajectoryParams) {
  const o = outcomes(e)
  const first = o[0]
  const last = o[o.length - 1]
  if (o.length < 2 || !first || !last) return false
  const k = last.session - first.session + 1
  if (last.total < line(p, first.total, k, p.targetOffset)) return false
  if (last.total < line(p, first.total, k, p.atRiskOffset)) return false
  if (round1(last.total - first.total) <= -5) return false
  const r = ratings(e)
  const srs = r[r.length - 1]
  const previous = r[r.length - 2]
  if (srs && srs.total < 36) return false
  if (srs && previous && round1(previous.total - srs.total) >= 1) return false
  return true
}

function expected(episodes: EpisodeRecord[], p: TrajectoryParams) {
  const closed = episodes.filter((e) => e.endedAt)
  const latestGroup = new Map<string, { start: string; group: AgeGroup }>()
  for (const e of episodes) {
    const seen = latestGroup.get(e.clientId)
    if (!seen || e.startedAt > seen.start)
      latestGroup.set(e.clientId, { start: e.startedAt, group: e.ageGroup })
  }
  const groupCount = (g: AgeGroup) => [...latestGroup.values()].filter((v) => v.group === g).length
  const scored = (e: EpisodeRecord) =>
    e.administrations.filter(
      (a) => ok(a) && (OUTCOME.includes(a.instrumentId) || SESSION.includes(a.instrumentId)),
    )
  const collateral = episodes.map((e) => scored(e).filter((a) => a.rater !== 'client').length)
  const intake = (g: AgeGroup) =>
    episodes
      .filter((e) => e.ageGroup === g && outcomes(e).length > 0)
      .map((e) => outcomes(e)[0]?.total ?? NaN)
  const firstSrs = episodes
    .filter((e) => ratings(e).length > 0)
    .map((e) => ratings(e)[0]?.total ?? NaN)
  const sessions = closed
    .map((e) => new Set(scored(e).map((a) => a.session)).size)
    .filter((n) => n > 0)
  const days = closed.map(
    (e) =>
      (Date.parse(`${e.endedAt?.slice(0, 10)}T00:00:00Z`) -
        Date.parse(`${e.startedAt}T00:00:00Z`)) /
      86_400_000,
  )
  const pairs = episodes
    .filter((e) => outcomes(e).length >= 2)
    .map((e) => {
      const o = outcomes(e)
      const first = o[0] as AdministrationRecord
      const last = o[o.length - 1] as AdministrationRecord
      return {
        e,
        first,
        last,
        k: last.session - first.session + 1,
        change: round1(last.total - first.total),
      }
    })
  const intakes = pairs.map((x) => x.first.total)
  const mi = avg(intakes) ?? 0
  const sd =
    intakes.length > 1
      ? Math.sqrt(intakes.reduce((s, x) => s + (x - mi) ** 2, 0) / (intakes.length - 1))
      : 0
  const prePost = sd > 0 ? ((avg(pairs.map((x) => x.last.total)) ?? 0) - mi) / sd : null
  const clinical = pairs.filter((x) => {
    const c = cutoff(x.first.instrumentId, x.e.ageGroup)
    return c !== null && x.first.total < c
  })
  const closedPairs = pairs.filter((x) => x.e.endedAt)
  const closedClinical = closedPairs.filter((x) => clinical.includes(x))
  const ended = closed.filter((e) => e.ending)
  const unplanned = ended.filter((e) => e.ending === 'unplanned')
  const allRatings = episodes.flatMap((e) => ratings(e).map((a) => a.total))
  let withOutcome = 0
  let skipped = 0
  for (const e of episodes) {
    const s = scored(e)
    for (const session of new Set(
      s.filter((a) => OUTCOME.includes(a.instrumentId)).map((a) => a.session),
    )) {
      withOutcome++
      if (!s.some((a) => a.session === session && SESSION.includes(a.instrumentId))) skipped++
    }
  }
  const endingShare = (kind: string) =>
    pct(ended.filter((e) => e.ending === kind).length, ended.length)
  const greens = unplanned.filter((e) => greenAtEnd(e, p)).length
  return {
    clients: [
      latestGroup.size,
      groupCount('adult'),
      groupCount('adolescent'),
      groupCount('child'),
      groupCount('young'),
    ],
    episodes: [episodes.length, closed.length],
    collateral: [collateral.reduce((s, c) => s + c, 0), collateral.filter((c) => c > 0).length],
    intake: [intake('adult'), intake('adolescent'), intake('child')],
    firstSrs,
    sessions,
    days,
    pairs,
    prePost,
    clinical,
    closedPairs,
    closedClinical,
    endings: {
      planned: endingShare('planned'),
      unplanned: endingShare('unplanned'),
      referred: endingShare('referred'),
      other: endingShare('other'),
      n: ended.length,
    },
    unplanned: {
      green: pct(greens, unplanned.length),
      notGreen: pct(unplanned.length - greens, unplanned.length),
      n: unplanned.length,
    },
    allRatings,
    skipped: { value: pct(skipped, withOutcome), n: withOutcome },
  }
}

function same(actual: ReportFigure, value: number | null, n: number, label: string): void {
  expect(actual.n, `${label} n`).toBe(n)
  if (value === null) expect(actual.value, `${label} value`).toBeNull()
  else expect(actual.value, `${label} value`).toBeCloseTo(value, 9)
}

describe('computeAggregates on generated datasets', () => {
  const params: TrajectoryParams = {
    a: 7.61,
    b: -0.2537,
    targetOffset: 0,
    atRiskOffset: -2.5,
    n: 0,
    source: 'default',
  }

  it('agrees with an independent implementation of every rule', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 60 }), (seed, count) => {
        const episodes = generate(seed, count)
        const r = computeAggregates(episodes, { trajectory: params })
        const x = expected(episodes, params)
        const [total, adult, adolescent, child, young] = x.clients
        same(r.clients.total, total ?? -1, total ?? -1, 'clients')
        same(r.clients.adult, adult ?? -1, adult ?? -1, 'adult clients')
        same(r.clients.adolescent, adolescent ?? -1, adolescent ?? -1, 'adolescent clients')
        same(r.clients.child, child ?? -1, child ?? -1, 'child clients')
        same(r.clients.young, young ?? -1, young ?? -1, 'young clients')
        same(r.episodes.total, count, count, 'episodes')
        same(r.episodes.closed, x.episodes[1] ?? -1, x.episodes[1] ?? -1, 'closed')
        same(r.collateral.administrations, x.collateral[0] ?? -1, count, 'collateral forms')
        same(r.collateral.episodes, x.collateral[1] ?? -1, count, 'collateral episodes')
        const [ia = [], iad = [], ic = []] = x.intake
        same(r.intakeOutcome.adult, avg(ia), ia.length, 'intake adult')
        same(r.intakeOutcome.adolescent, avg(iad), iad.length, 'intake adolescent')
        same(r.intakeOutcome.child, avg(ic), ic.length, 'intake child')
        same(r.intakeSessionRating, avg(x.firstSrs), x.firstSrs.length, 'intake srs')
        same(r.sessionsPerEpisode, avg(x.sessions), x.sessions.length, 'sessions')
        same(r.episodeLengthDays, avg(x.days), x.days.length, 'days')
        same(r.effectSize.prePost, x.prePost, x.pairs.length, 'pre-post')
        const cp = x.closedPairs
        const reached = cp.filter(
          (c) => c.last.total >= line(params, c.first.total, c.k, params.targetOffset),
        ).length
        same(r.closedOutcomes.reachedTarget, pct(reached, cp.length), cp.length, 'target')
        same(
          r.closedOutcomes.reliableImprovement,
          pct(cp.filter((c) => c.change >= 5).length, cp.length),
          cp.length,
          'ri',
        )
        same(
          r.closedOutcomes.reliableDeterioration,
          pct(cp.filter((c) => c.change <= -5).length, cp.length),
          cp.length,
          'rd',
        )
        const csc = x.closedClinical.filter(
          (c) =>
            c.change >= 5 && c.last.total >= (cutoff(c.first.instrumentId, c.e.ageGroup) ?? 99),
        ).length
        same(
          r.closedOutcomes.clinicallySignificant,
          pct(csc, x.closedClinical.length),
          x.closedClinical.length,
          'csc',
        )
        for (const kind of ['planned', 'unplanned', 'referred', 'other'] as const) {
          same(r.endings[kind], x.endings[kind], x.endings.n, kind)
        }
        same(r.unplannedEndings.green, x.unplanned.green, x.unplanned.n, 'green dropouts')
        same(r.unplannedEndings.notGreen, x.unplanned.notGreen, x.unplanned.n, 'other dropouts')
        same(r.sessionRatingMean, avg(x.allRatings), x.allRatings.length, 'srs mean')
        same(r.skippedFeedback, x.skipped.value, x.skipped.n, 'skipped')
      }),
      { numRuns: 60 },
    )
  })

  it('generates datasets that exercise the rules (guards the test itself)', () => {
    const episodes = generate(42, 60)
    const x = expected(episodes, params)
    expect(x.closedPairs.length).toBeGreaterThan(10)
    expect(x.clinical.length).toBeGreaterThan(5)
    expect(x.unplanned.n).toBeGreaterThan(2)
    expect(x.collateral[0]).toBeGreaterThan(2)
    expect(x.skipped.value).toBeGreaterThan(0)
    expect(episodes.some((e) => e.administrations.some((a) => a.supersededBy))).toBe(true)
  })
})
