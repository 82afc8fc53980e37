import { describe, expect, it } from 'vitest'
import {
  atRiskAt,
  DEFAULT_TRAJECTORY,
  type EpisodeRecord,
  expectedAt,
  fitTrajectory,
  MIN_EPISODES_FOR_FIT,
  percentile,
  type TrajectoryParams,
  targetAt,
  trajectoryCurve,
} from '../../src/core/index.ts'
import { adm, episode } from './builders.ts'

describe('reference trajectory', () => {
  it('expects the intake score at the intake session', () => {
    for (const intake of [0, 12.5, 19, 30, 40]) {
      expect(expectedAt(DEFAULT_TRAJECTORY, intake, 1)).toBe(intake)
      expect(targetAt(DEFAULT_TRAJECTORY, intake, 1)).toBe(intake)
      expect(atRiskAt(DEFAULT_TRAJECTORY, intake, 1)).toBe(intake)
    }
  })

  it('has the documented default shape: intake 19 expects about +5 by session 6, intake 30 about 0', () => {
    // (7.61 − 0.2537·19) · ln 6 = 2.7897 · 1.791759 = 4.998
    expect(expectedAt(DEFAULT_TRAJECTORY, 19, 6)).toBeCloseTo(23.998, 3)
    expect(expectedAt(DEFAULT_TRAJECTORY, 30, 6) - 30).toBeCloseTo(0, 2)
    // at-risk = expected − 2.5 · ln 6 = 23.998 − 4.479 = 19.519
    expect(atRiskAt(DEFAULT_TRAJECTORY, 19, 6)).toBeCloseTo(19.519, 3)
    expect(DEFAULT_TRAJECTORY.source).toBe('default')
  })

  it('follows given parameters and keeps the lines within 0–40', () => {
    const p: TrajectoryParams = {
      a: 10,
      b: 0,
      targetOffset: 1,
      atRiskOffset: -3,
      n: 0,
      source: 'default',
    }
    const ln4 = Math.log(4)
    expect(expectedAt(p, 10, 4)).toBeCloseTo(10 + 10 * ln4, 10)
    expect(targetAt(p, 10, 4)).toBeCloseTo(10 + 11 * ln4, 10)
    expect(atRiskAt(p, 10, 4)).toBeCloseTo(10 + 7 * ln4, 10)
    expect(expectedAt(p, 38, 20)).toBe(40)
    expect(atRiskAt({ ...p, a: -30 }, 2, 20)).toBe(0)
    expect(() => expectedAt(p, 10, 0)).toThrow(RangeError)
  })

  it('draws a curve with target between expectation and at-risk for default offsets', () => {
    const curve = trajectoryCurve(DEFAULT_TRAJECTORY, 15, 10)
    expect(curve.map((pt) => pt.k)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    for (const pt of curve) expect(pt.atRisk).toBeLessThanOrEqual(pt.target)
    expect(curve[9]?.expected).toBeGreaterThan(curve[1]?.expected ?? 99)
  })

  it('computes type-7 percentiles', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(percentile([4, 1, 3, 2], 0.25)).toBe(1.75)
    expect(percentile([7], 0.25)).toBe(7)
    expect(() => percentile([], 0.5)).toThrow(RangeError)
  })
})

/** Closed episodes whose scores follow known parameters, with a per-episode offset c·ln k. */
function synthetic(
  count: number,
  a: number,
  b: number,
  offsets: readonly number[] = [0],
): EpisodeRecord[] {
  const episodes: EpisodeRecord[] = []
  for (let i = 0; i < count; i++) {
    const intake = 8 + ((i * 7) % 27) // 8..34, spread independent of the offset cycle
    const sessions = 2 + (i % 9)
    const c = offsets[i % offsets.length] ?? 0
    const admins = [adm('ORS', { session: 1, total: intake })]
    for (let k = 2; k <= sessions; k++) {
      const noise = 0.3 * Math.sin(i * 12.9898 + k * 78.233) // small, deterministic
      admins.push(
        adm('ORS', { session: k, total: intake + (a + b * intake + c) * Math.log(k) + noise }),
      )
    }
    episodes.push(episode({ endedAt: '2024-06-01', ending: 'planned' }, admins))
  }
  return episodes
}

describe('fitTrajectory', () => {
  it('recovers known parameters from synthetic data', () => {
    const result = fitTrajectory(synthetic(80, 6, -0.2), { fittedAt: '2025-01-01T00:00:00Z' })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.params.a).toBeCloseTo(6, 1)
    expect(result.params.b).toBeCloseTo(-0.2, 2)
    expect(result.params).toMatchObject({
      n: 80,
      source: 'fitted',
      fittedAt: '2025-01-01T00:00:00Z',
    })
    expect(Math.abs(result.params.targetOffset)).toBeLessThan(0.3)
  })

  it('puts the offsets at the residual median and lower quartile', () => {
    // Episodes run 1 point·ln k above, on, or below their expectation in equal shares (cycle of
    // 4: +1, 0, 0, −1 → median 0, lower quartile between −1 and 0).
    const result = fitTrajectory(synthetic(120, 6, -0.2, [1, 0, 0, -1]))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.params.targetOffset).toBeCloseTo(0, 0)
    expect(result.params.atRiskOffset).toBeLessThan(-0.2)
    expect(result.params.atRiskOffset).toBeGreaterThan(-1.3)
  })

  it('refuses below the minimum and reports how many episodes there were', () => {
    expect(MIN_EPISODES_FOR_FIT).toBe(30)
    expect(fitTrajectory(synthetic(29, 6, -0.2))).toEqual({
      ok: false,
      reason: 'too-few-episodes',
      n: 29,
      minimum: 30,
    })
    expect(fitTrajectory(synthetic(29, 6, -0.2), { minEpisodes: 20 }).ok).toBe(true)
  })

  it('counts only closed episodes with two or more counted scored outcome forms', () => {
    const usable = synthetic(30, 6, -0.2)
    const open = { ...usable[0], id: 'open', endedAt: null } as EpisodeRecord
    const single = episode({ endedAt: '2024-02-01' }, [adm('ORS', { session: 1, total: 20 })])
    const voided = episode({ endedAt: '2024-02-01' }, [
      adm('ORS', { session: 1, total: 20 }),
      adm('ORS', { session: 2, total: 25, voided: true }),
    ])
    const young = episode({ endedAt: '2024-02-01', ageGroup: 'young' }, [
      adm('YCORS', { session: 1, total: 2 }),
      adm('YCORS', { session: 2, total: 8 }),
    ])
    const result = fitTrajectory([...usable.slice(1), open, single, voided, young])
    expect(result).toEqual({ ok: false, reason: 'too-few-episodes', n: 29, minimum: 30 })
  })

  it('reports a degenerate fit when every intake is the same', () => {
    const same = Array.from({ length: 30 }, () =>
      episode({ endedAt: '2024-02-01' }, [
        adm('ORS', { session: 1, total: 20 }),
        adm('ORS', { session: 3, total: 24 }),
      ]),
    )
    expect(fitTrajectory(same)).toEqual({ ok: false, reason: 'degenerate', n: 30, minimum: 30 })
  })
})
