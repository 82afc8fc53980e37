import { describe, expect, it } from 'vitest'
import { computeAggregates, type ReportFigure, suppressSmallGroups } from '../../src/core/index.ts'
import { adm, episode } from './builders.ts'

function same(actual: ReportFigure, value: number | null, n: number, label = ''): void {
  expect(actual.n, `${label} n`).toBe(n)
  if (value === null) expect(actual.value, `${label} value`).toBeNull()
  else expect(actual.value, `${label} value`).toBeCloseTo(value, 9)
}

/**
 * Four episodes, every figure worked out by hand:
 * E1 adult A, 2024-01-01 → 2024-03-01 (60 days, leap year), planned. ORS 19, 22, 25; SRS 36, 38, 39.
 * E2 adolescent B, 2024-02-01 → 2024-02-15 (14 days), unplanned. ORS 30, 23; parent ORS 20 in
 *    session 1; SRS 34 in session 1 only (session 2 skipped feedback).
 * E3 child C, open. CORS 20; CSRS 35; a voided CORS 30 and a draft CSRS in session 2.
 * E4 young D, 2024-03-01 → 2024-03-10 (9 days), other. YCORS only (unscored).
 */
function handDataset() {
  return [
    episode(
      {
        id: 'E1',
        clientId: 'A',
        ageGroup: 'adult',
        startedAt: '2024-01-01',
        endedAt: '2024-03-01',
        ending: 'planned',
      },
      [
        adm('ORS', { session: 1, total: 19 }),
        adm('ORS', { session: 2, total: 22 }),
        adm('ORS', { session: 3, total: 25 }),
        adm('SRS', { session: 1, total: 36 }),
        adm('SRS', { session: 2, total: 38 }),
        adm('SRS', { session: 3, total: 39 }),
      ],
    ),
    episode(
      {
        id: 'E2',
        clientId: 'B',
        ageGroup: 'adolescent',
        startedAt: '2024-02-01',
        endedAt: '2024-02-15T09:30:00Z',
        ending: 'unplanned',
      },
      [
        adm('ORS', { session: 1, total: 30 }),
        adm('ORS', { session: 1, total: 20, rater: 'parent' }),
        adm('ORS', { session: 2, total: 23 }),
        adm('SRS', { session: 1, total: 34 }),
      ],
    ),
    episode({ id: 'E3', clientId: 'C', ageGroup: 'child', startedAt: '2024-03-01' }, [
      adm('CORS', { session: 1, total: 20 }),
      adm('CSRS', { session: 1, total: 35 }),
      adm('CORS', { session: 2, total: 30, voided: true }),
      adm('CSRS', { session: 2, total: 20, status: 'draft' }),
    ]),
    episode(
      {
        id: 'E4',
        clientId: 'D',
        ageGroup: 'young',
        startedAt: '2024-03-01',
        endedAt: '2024-03-10',
        ending: 'other',
      },
      [adm('YCORS', { session: 1, total: 3 })],
    ),
  ]
}

describe('computeAggregates: hand-computed dataset', () => {
  const r = computeAggregates(handDataset())

  it('counts clients by age group, episodes and collateral raters', () => {
    same(r.clients.total, 4, 4)
    same(r.clients.adult, 1, 1)
    same(r.clients.adolescent, 1, 1)
    same(r.clients.child, 1, 1)
    same(r.clients.young, 1, 1)
    same(r.episodes.total, 4, 4)
    same(r.episodes.closed, 3, 3)
    same(r.collateral.administrations, 1, 4)
    same(r.collateral.episodes, 1, 4)
  })

  it('averages intake scores by age group and the first session rating', () => {
    same(r.intakeOutcome.adult, 19, 1)
    same(r.intakeOutcome.adolescent, 30, 1) // the parent's 20 is collateral, not the intake
    same(r.intakeOutcome.child, 20, 1)
    same(r.intakeSessionRating, (36 + 34 + 35) / 3, 3)
  })

  it('averages sessions and length over closed episodes', () => {
    same(r.sessionsPerEpisode, (3 + 2) / 2, 2) // E4 has no scored session
    same(r.episodeLengthDays, (60 + 14 + 9) / 3, 3)
  })

  it('computes the pre–post effect size', () => {
    // intake 19, 30 → mean 24.5, sample SD √((5.5² + 5.5²)/1) = 7.7782; last 25, 23 → mean 24
    same(r.effectSize.prePost, (24 - 24.5) / Math.sqrt(60.5), 2)
  })

  it('has no severity-adjusted effect size row (no reference exists to fill it)', () => {
    expect(Object.keys(r.effectSize)).toEqual(['prePost'])
  })

  it('computes outcome percentages over closed episodes', () => {
    // E1: target at k=3 = 19 + 2.7897·ln 3 = 22.06 → 22.1, reached with 25. E2: target 30.0, missed.
    same(r.closedOutcomes.reachedTarget, 50, 2)
    same(r.closedOutcomes.reliableImprovement, 50, 2)
    same(r.closedOutcomes.reliableDeterioration, 50, 2)
    same(r.closedOutcomes.clinicallySignificant, 100, 1) // E2 did not start below its cut-off
  })

  it('splits endings and dropouts', () => {
    same(r.endings.planned, 100 / 3, 3)
    same(r.endings.unplanned, 100 / 3, 3)
    same(r.endings.referred, 0, 3)
    same(r.endings.other, 100 / 3, 3)
    same(r.unplannedEndings.green, 0, 1) // E2 ended red
    same(r.unplannedEndings.notGreen, 100, 1)
  })

  it('averages session ratings and measures skipped feedback', () => {
    same(r.sessionRatingMean, (36 + 38 + 39 + 34 + 35) / 5, 5)
    same(r.skippedFeedback, 100 / 6, 6) // E2 session 2 had an ORS and no SRS
  })

  it('gives empty figures (not zeros) for an empty set', () => {
    const empty = computeAggregates([])
    same(empty.clients.total, 0, 0)
    same(empty.effectSize.prePost, null, 0)
    same(empty.closedOutcomes.reachedTarget, null, 0)
    same(empty.sessionRatingMean, null, 0)
  })
})

describe('suppressSmallGroups', () => {
  it('hides every figure for a group of fewer than 5 clients', () => {
    const hidden = suppressSmallGroups(computeAggregates(handDataset()))
    expect(hidden.suppressed).toBe(true)
    const figures = Object.values(hidden).flatMap((v) =>
      typeof v === 'boolean'
        ? []
        : 'value' in v
          ? [v]
          : Object.values(v as Record<string, ReportFigure>),
    )
    expect(figures.length).toBeGreaterThan(25)
    for (const f of figures) expect(f).toEqual({ value: null, n: 0, clients: 0, suppressed: true })
  })

  it('shows a group of exactly 5 clients, hiding only cells about fewer than 5', () => {
    const five = ['A', 'B', 'C', 'D', 'E'].map((clientId, i) =>
      episode({ clientId, ageGroup: i < 4 ? 'adult' : 'adolescent' }, [
        adm('ORS', { session: 1, total: 15 + i }),
      ]),
    )
    const shown = suppressSmallGroups(computeAggregates(five))
    expect(shown.suppressed).toBe(false)
    same(shown.clients.total, 5, 5)
    expect(shown.intakeOutcome.adolescent).toMatchObject({ value: null, suppressed: true })
    expect(shown.clients.adult.suppressed).toBe(true) // 4 adults: a small cell
    const cellsOff = suppressSmallGroups(computeAggregates(five), 5, { smallCells: false })
    same(cellsOff.intakeOutcome.adolescent, 19, 1)
    expect(suppressSmallGroups(computeAggregates(five.slice(0, 4))).suppressed).toBe(true)
  })

  it('counts distinct clients, not episodes', () => {
    const sameClient = Array.from({ length: 6 }, () =>
      episode({ clientId: 'A' }, [adm('ORS', { session: 1, total: 20 })]),
    )
    expect(suppressSmallGroups(computeAggregates(sameClient)).suppressed).toBe(true)
  })
})
