// A transparent reference trajectory: expected outcome score by session, given the intake score.
//
// The commercial expected-treatment-response curves (ICCE / Performance Metrics, MyOutcomes)
// are licensed and unpublished. This model does NOT reproduce them and must not be presented as
// if it did. It is a deliberately simple, documented model whose parameters are data:
//
//   expected(k) = intake + (a + b·intake)·ln k          k = 1 is the intake session
//   target(k)   = expected(k) + targetOffset·ln k        (50th percentile of residuals)
//   atRisk(k)   = expected(k) + atRiskOffset·ln k        (25th percentile of residuals)
//
// all capped to the 0–40 total range. Change is logarithmic in sessions (most change comes
// early) and shrinks as intake rises (b < 0: regression towards the non-clinical mean). The
// offsets scale with ln k because at the intake the residual is zero by definition and the
// spread of outcomes widens with time.
import { isClosed, outcomeChange, outcomeSeries } from './episode.ts'
import type { EpisodeRecord, InstrumentId } from './types.ts'

export interface TrajectoryParams {
  a: number
  b: number
  targetOffset: number
  atRiskOffset: number
  /** Closed episodes the parameters were fitted on (0 for the built-in default). */
  n: number
  source: 'default' | 'fitted'
  fittedAt?: string
}

export const TOTAL_MIN = 0
export const TOTAL_MAX = 40

/**
 * Illustrative defaults, UNVERIFIED and not derived from any published curve: chosen so that an
 * intake of 19 (typical adult outpatient intake, 16–19 per OpenFIT) expects about +5 points by
 * session 6, and an intake of 30 (above the non-clinical mean 28.0) expects about no change.
 *   (a + 19b)·ln 6 = 5  and  a + 30b = 0   ⇒   b ≈ −0.2537, a ≈ 7.61.
 * The at-risk offset of −2.5·ln k puts the boundary about 4.5 points under expectation at
 * session 6. Replace with fitted parameters once the organisation has enough closed episodes.
 */
export const DEFAULT_TRAJECTORY: Readonly<TrajectoryParams> = {
  a: 7.61,
  b: -0.2537,
  targetOffset: 0,
  atRiskOffset: -2.5,
  n: 0,
  source: 'default',
}

/** Fitting below this many closed episodes is refused; curves are not shown from fewer. Policy choice, configurable. */
export const MIN_EPISODES_FOR_FIT = 30

const SCORED_OUTCOME_FORMS: readonly InstrumentId[] = ['ORS', 'CORS']

const clampTotal = (x: number): number => Math.min(TOTAL_MAX, Math.max(TOTAL_MIN, x))

function logSession(k: number): number {
  if (!(k >= 1) || !Number.isFinite(k)) throw new RangeError(`Session must be >= 1: ${k}`)
  return Math.log(k)
}

function rawExpected(params: TrajectoryParams, intake: number, k: number): number {
  return intake + (params.a + params.b * intake) * logSession(k)
}

export function expectedAt(params: TrajectoryParams, intake: number, k: number): number {
  return clampTotal(rawExpected(params, intake, k))
}

export function targetAt(params: TrajectoryParams, intake: number, k: number): number {
  return clampTotal(rawExpected(params, intake, k) + params.targetOffset * logSession(k))
}

export function atRiskAt(params: TrajectoryParams, intake: number, k: number): number {
  return clampTotal(rawExpected(params, intake, k) + params.atRiskOffset * logSession(k))
}

export interface TrajectoryPoint {
  k: number
  expected: number
  target: number
  atRisk: number
}

/** Points k = 1..sessions for drawing the lines on a client's chart. */
export function trajectoryCurve(
  params: TrajectoryParams,
  intake: number,
  sessions: number,
): TrajectoryPoint[] {
  const points: TrajectoryPoint[] = []
  for (let k = 1; k <= sessions; k++) {
    points.push({
      k,
      expected: expectedAt(params, intake, k),
      target: targetAt(params, intake, k),
      atRisk: atRiskAt(params, intake, k),
    })
  }
  return points
}

/** Percentile with linear interpolation between order statistics (Hyndman & Fan type 7, as in R's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('No values')
  const sorted = [...values].sort((x, y) => x - y)
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  const low = sorted[lo] ?? Number.NaN
  const high = sorted[hi] ?? Number.NaN
  return low + (h - lo) * (high - low)
}

export interface FitOptions {
  minEpisodes?: number
  /** Outcome forms to fit on; default all scored outcome forms (ORS and CORS). */
  instruments?: readonly InstrumentId[]
  /** Recorded in the parameters; passed in to keep the core free of clocks. */
  fittedAt?: string
}

export type FitResult =
  | { ok: true; params: TrajectoryParams }
  | { ok: false; reason: 'too-few-episodes'; n: number; minimum: number }
  | { ok: false; reason: 'degenerate'; n: number; minimum: number }

/**
 * Least-squares fit of change = a·ln k + b·(intake·ln k) over every post-intake point of closed
 * episodes with at least two scored outcome forms; offsets are the 50th and 25th percentiles of
 * residual / ln k. `degenerate` means the data cannot separate a from b (e.g. one intake value).
 */
export function fitTrajectory(
  closedEpisodes: readonly EpisodeRecord[],
  options: FitOptions = {},
): FitResult {
  const minimum = options.minEpisodes ?? MIN_EPISODES_FOR_FIT
  const allowed = new Set<InstrumentId>(options.instruments ?? SCORED_OUTCOME_FORMS)
  const points: { x1: number; x2: number; y: number }[] = []
  let n = 0
  for (const episode of closedEpisodes) {
    if (!isClosed(episode)) continue
    const series = outcomeSeries(episode).filter((a) => allowed.has(a.instrumentId))
    const change = outcomeChange(series)
    if (!change) continue
    n++
    const intake = change.intake.total
    for (const a of series.slice(1)) {
      const lnK = Math.log(a.session - change.intake.session + 1)
      if (lnK <= 0) continue
      points.push({ x1: lnK, x2: intake * lnK, y: a.total - intake })
    }
  }
  if (n < minimum) return { ok: false, reason: 'too-few-episodes', n, minimum }

  let s11 = 0,
    s12 = 0,
    s22 = 0,
    s1y = 0,
    s2y = 0
  for (const { x1, x2, y } of points) {
    s11 += x1 * x1
    s12 += x1 * x2
    s22 += x2 * x2
    s1y += x1 * y
    s2y += x2 * y
  }
  const det = s11 * s22 - s12 * s12
  // Relative test: the determinant of a near-collinear design is tiny compared with its terms.
  if (points.length < 2 || Math.abs(det) <= 1e-9 * s11 * s22)
    return { ok: false, reason: 'degenerate', n, minimum }
  const a = (s1y * s22 - s2y * s12) / det
  const b = (s2y * s11 - s1y * s12) / det
  const scaled = points.map(({ x1, x2, y }) => (y - a * x1 - b * x2) / x1)
  const params: TrajectoryParams = {
    a,
    b,
    targetOffset: percentile(scaled, 0.5),
    atRiskOffset: percentile(scaled, 0.25),
    n,
    source: 'fitted',
  }
  if (options.fittedAt !== undefined) params.fittedAt = options.fittedAt
  return { ok: true, params }
}
