import { describe, expect, it } from 'vitest'
import { outcomeChart, sessionChart } from '../../src/core/chart-series.ts'
import { episodeStatus, type TrajectoryParams } from '../../src/core/index.ts'
import { adm, episode, orsEpisode } from './builders.ts'

// Default trajectory (a = 7.61, b = −0.2537), intake 19: slope 7.61 − 0.2537·19 = 2.7897.
//   target(k) = 19 + 2.7897·ln k;  at-risk(k) = target(k) − 2.5·ln k
//   k  ln k      target            at-risk
//   1  0         19.0              19.0
//   2  0.693147  20.934 → 20.9     19.201 → 19.2
//   3  1.098612  22.065 → 22.1     19.318 → 19.3
//   4  1.386294  22.867 → 22.9     19.402 → 19.4
//   5  1.609438  23.490 → 23.5     19.466 → 19.5
//   6  1.791759  23.998 → 24.0     19.519 → 19.5
//   7  1.945910  24.429 → 24.4     19.564 → 19.6
const TARGET_19 = [19, 20.9, 22.1, 22.9, 23.5, 24, 24.4]
const AT_RISK_19 = [19, 19.2, 19.3, 19.4, 19.5, 19.5, 19.6]

describe('outcomeChart', () => {
  it('plots the series, the adult cut-off and lines to max(last + 3, 6)', () => {
    // Changes from intake 19: +5.0 (reliable, the boundary counts), +4.9 (not), −5.0 (reliable).
    const e = orsEpisode([19, 24, 23.9, 14])
    const chart = outcomeChart(e, 'adult')
    expect(chart.points.map((p) => [p.session, p.total])).toEqual([
      [1, 19],
      [2, 24],
      [3, 23.9],
      [4, 14],
    ])
    expect(chart.points[0]).toMatchObject({
      id: e.administrations[0]?.id,
      markedAt: '2024-01-01T10:00:00Z',
    })
    expect(Object.values(chart.points[1]?.items ?? {}).reduce((s, v) => s + v, 0)).toBeCloseTo(24)
    expect(chart.cutoff).toBe(25)
    expect(chart.target).toEqual(TARGET_19.map((value, i) => ({ session: i + 1, value })))
    expect(chart.atRisk).toEqual(AT_RISK_19.map((value, i) => ({ session: i + 1, value })))
    expect(chart.reliableChange).toEqual([
      { session: 2, kind: 'reliable-improvement' },
      { session: 4, kind: 'reliable-deterioration' },
    ])
  })

  it('draws the lines to session 6 after the intake alone, and agrees with the status', () => {
    expect(outcomeChart(orsEpisode([19]), 'adult').target.map((p) => p.session)).toEqual([
      1, 2, 3, 4, 5, 6,
    ])
    const e = orsEpisode([19, 20, 21, 21, 22, 19.4])
    const chart = outcomeChart(e, 'adult')
    const status = episodeStatus(e)
    expect(chart.target.find((p) => p.session === 6)?.value).toBe(status.position?.target)
    expect(chart.atRisk.find((p) => p.session === 6)?.value).toBe(status.position?.atRisk)
    expect(chart.target.at(-1)?.session).toBe(9)
  })

  it('starts the lines at a late intake, counting k from there', () => {
    const e = episode({}, [
      adm('ORS', { session: 3, total: 19 }),
      adm('ORS', { session: 4, total: 21 }),
    ])
    const chart = outcomeChart(e, 'adult')
    // Sessions 3..7 are k = 1..5.
    expect(chart.target).toEqual(
      TARGET_19.slice(0, 5).map((value, i) => ({ session: i + 3, value })),
    )
    expect(chart.atRisk[0]).toEqual({ session: 3, value: 19 })
    expect(chart.reliableChange).toEqual([])
  })

  it('leaves out drafts, voided forms, replaced versions and a second rater', () => {
    const e = episode({}, [
      adm('ORS', { session: 1, total: 19 }),
      adm('ORS', { session: 2, total: 10, status: 'draft' }),
      adm('ORS', { session: 2, total: 11, voided: true }),
      adm('ORS', { id: 'old', session: 3, total: 12, supersededBy: 'new' }),
      adm('ORS', { id: 'new', session: 3, total: 22 }),
      adm('ORS', { session: 4, total: 5, rater: 'parent' }),
    ])
    const chart = outcomeChart(e, 'adult')
    expect(chart.points.map((p) => [p.session, p.total])).toEqual([
      [1, 19],
      [3, 22],
    ])
    expect(chart.points[1]?.id).toBe('new')
  })

  it('uses the cut-off of the form and age group, and honours overrides', () => {
    const teen = orsEpisode([20, 26], { ageGroup: 'adolescent' })
    expect(outcomeChart(teen, 'adolescent').cutoff).toBe(28)
    const child = episode({ ageGroup: 'child' }, [
      adm('CORS', { session: 1, total: 20, rater: 'parent' }),
      adm('CORS', { session: 2, total: 26, rater: 'parent' }),
    ])
    const c = outcomeChart(child, 'child')
    expect(c.cutoff).toBe(32)
    expect(c.reliableChange).toEqual([{ session: 2, kind: 'reliable-improvement' }])
    const custom = outcomeChart(child, 'child', {
      norms: { corsChildCutoff: 30, reliableChange: 7 },
    })
    expect(custom.cutoff).toBe(30)
    expect(custom.reliableChange).toEqual([])
    // An ORS used with a child has no borrowed cut-off.
    expect(outcomeChart(orsEpisode([20]), 'child').cutoff).toBeNull()
  })

  it('draws a supplied trajectory', () => {
    // expected(k) = 10 + (2 + 0·10)·ln k; target +1·ln k; at-risk −1·ln k. At k = 2 (ln 2 = 0.6931):
    // target 10 + 3·0.6931 = 12.079 → 12.1; at-risk 10 + 1·0.6931 = 10.693 → 10.7.
    const params: TrajectoryParams = {
      a: 2,
      b: 0,
      targetOffset: 1,
      atRiskOffset: -1,
      n: 40,
      source: 'fitted',
    }
    const chart = outcomeChart(orsEpisode([10]), 'adult', { trajectory: params })
    expect(chart.target[1]).toEqual({ session: 2, value: 12.1 })
    expect(chart.atRisk[1]).toEqual({ session: 2, value: 10.7 })
  })

  it('shows nothing for the unscored young-child form, with no cut-off', () => {
    const e = episode({ ageGroup: 'young' }, [
      adm('YCORS', { session: 1, total: 3 }),
      adm('YCORS', { session: 2, total: 9 }),
    ])
    expect(outcomeChart(e, 'young')).toEqual({
      points: [],
      cutoff: null,
      target: [],
      atRisk: [],
      reliableChange: [],
    })
    expect(outcomeChart(orsEpisode([]), 'adult').cutoff).toBe(25)
  })
})

describe('sessionChart', () => {
  const srs = (session: number, items: number[], markedAt?: string) =>
    adm('SRS', {
      session,
      items: {
        'srs.relationship': items[0] ?? 0,
        'srs.goals': items[1] ?? 0,
        'srs.approach': items[2] ?? 0,
        'srs.overall': items[3] ?? 0,
      },
      ...(markedAt ? { markedAt } : {}),
    })

  it('flags each rating as the status does, comparing within one form', () => {
    const e = episode({}, [
      srs(1, [9.5, 9.5, 9.5, 9.5]), // 38.0: no flag
      srs(2, [9, 9, 9, 8]), // 35.0: below 36, item below 9, dropped 3.0
      srs(3, [9.5, 9, 9.5, 9], '2024-01-03T10:00:00Z'), // 37.0: up, no flag
      adm('GSRS', { session: 3, total: 36, markedAt: '2024-01-03T11:00:00Z' }), // first GSRS: no drop
      srs(4, [9.5, 9, 9, 8.5]), // 36.0: at the cut-off (not below), item 8.5, dropped 1.0
    ])
    const chart = sessionChart(e)
    expect(chart.cutoff).toBe(36)
    expect(chart.points.map((p) => [p.session, p.instrumentId, p.total])).toEqual([
      [1, 'SRS', 38],
      [2, 'SRS', 35],
      [3, 'SRS', 37],
      [3, 'GSRS', 36],
      [4, 'SRS', 36],
    ])
    expect(chart.points.map((p) => p.flags.map((f) => f.kind))).toEqual([
      [],
      ['below-cutoff', 'item-low', 'drop'],
      [],
      [],
      ['item-low', 'drop'],
    ])
    expect(chart.points[1]?.flags).toEqual([
      { kind: 'below-cutoff', total: 35, cutoff: 36 },
      { kind: 'item-low', items: [{ itemId: 'srs.overall', score: 8 }], threshold: 9 },
      { kind: 'drop', total: 35, previousTotal: 38, drop: 3 },
    ])
    expect(chart.points[4]?.flags[1]).toEqual({
      kind: 'drop',
      total: 36,
      previousTotal: 37,
      drop: 1,
    })
  })

  it('ignores the outcome forms and unscored session forms', () => {
    const e = episode({ ageGroup: 'young' }, [
      adm('YCORS', { session: 1, total: 3 }),
      adm('YCSRS', { session: 1, total: 2 }),
    ])
    expect(sessionChart(e)).toEqual({ points: [], cutoff: null })
    const child = episode({ ageGroup: 'child' }, [adm('CORS', { session: 1, total: 20 })])
    expect(sessionChart(child)).toEqual({ points: [], cutoff: 36 })
  })

  it('honours norm overrides', () => {
    const e = episode({}, [srs(1, [9.5, 9.5, 9.5, 9.5]), srs(2, [9, 9, 9, 9])])
    const chart = sessionChart(e, { norms: { srsCutoff: 37, srsItemFlag: 8, srsDrop: 3 } })
    expect(chart.cutoff).toBe(37)
    expect(chart.points[1]?.flags).toEqual([{ kind: 'below-cutoff', total: 36, cutoff: 37 }])
  })
})
