// Severity-adjusted effect size (ACORN / OpenFIT style) and the reference it is measured against.
import { isClosed, outcomeChange, outcomeSeries } from './episode.ts'
import { cutoffFor, type NormSettings } from './norms.ts'
import { linearRegression, mean, sampleSd } from './stats.ts'
import type { EpisodeRecord } from './types.ts'

/**
 * A benchmark: the regression of change (last − intake) on intake score among cases that start
 * in the clinical range, the SD of those cases' intake scores, and the benchmark's own pre–post
 * effect size. Linja ships NO default: no published benchmark is in the reference, and inventing
 * one would make every report look authoritative. A network or organisation builds one from
 * pooled closed episodes with `fitSeverityReference`, or enters a published one.
 */
export interface SeverityReference {
  intercept: number
  slope: number
  sd: number
  effectSize: number
  n: number
  source: string
}

export interface ClinicalCase {
  clientId: string
  intake: number
  change: number
}

/** Cases with at least two scored outcome forms whose intake lies below the cut-off for their form and age group. */
export function clinicalCases(
  episodes: readonly EpisodeRecord[],
  norms?: Partial<NormSettings>,
): ClinicalCase[] {
  const cases: ClinicalCase[] = []
  for (const episode of episodes) {
    const change = outcomeChange(outcomeSeries(episode))
    if (!change) continue
    const cutoff = cutoffFor(change.intake.instrumentId, episode.ageGroup, norms)
    if (cutoff === null || change.intake.total >= cutoff) continue
    cases.push({ clientId: episode.clientId, intake: change.intake.total, change: change.change })
  }
  return cases
}

/** Builds a reference from closed episodes (e.g. a network's pooled data); null when there are too few to regress. */
export function fitSeverityReference(
  episodes: readonly EpisodeRecord[],
  source: string,
  norms?: Partial<NormSettings>,
): SeverityReference | null {
  const cases = clinicalCases(episodes.filter(isClosed), norms)
  const intakes = cases.map((c) => c.intake)
  const changes = cases.map((c) => c.change)
  const fit = linearRegression(intakes, changes)
  const sd = sampleSd(intakes)
  const meanChange = mean(changes)
  if (!fit || sd === null || sd === 0 || meanChange === null) return null
  return { ...fit, sd, effectSize: meanChange / sd, n: cases.length, source }
}

/**
 * SAES = ES_ref + mean_i[ change_i − (intercept + slope · intake_i) ] / SD_ref,
 * over clinical-range cases only. A service whose clients change exactly as the benchmark
 * predicts for their intake severity scores the benchmark's own effect size; every point of
 * change above prediction adds 1/SD_ref. Intake mix therefore no longer moves the figure.
 */
export function severityAdjustedEffectSize(
  cases: readonly ClinicalCase[],
  reference: SeverityReference,
): number | null {
  const residual = mean(
    cases.map((c) => c.change - (reference.intercept + reference.slope * c.intake)),
  )
  return residual === null ? null : reference.effectSize + residual / reference.sd
}
