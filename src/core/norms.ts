// Cut-offs, reliable change and alliance flags. Every figure carries its source and whether the
// reference verified it; all of them can be overridden per organisation through NormSettings.
import { getInstrument } from './instruments.ts'
import { roundScore } from './scoring.ts'
import type { AgeGroup, InstrumentId } from './types.ts'

/** ORS clinical cut-off, adults 18+. Verified: OpenFIT knowledge base; Miller et al. 2003. */
export const ORS_ADULT_CUTOFF = 25
/** CORS clinical cut-off, children 6–12. Verified: OpenFIT knowledge base. */
export const CORS_CHILD_CUTOFF = 32
/** ORS cut-off, adolescents 13–17. UNVERIFIED: commonly attributed to Duncan et al. 2006. */
export const ORS_ADOLESCENT_CUTOFF = 28
/** SRS total below this signals an alliance problem to discuss. Verified: OpenFIT. */
export const SRS_CUTOFF = 36
/** Any SRS item below this is flagged. UNVERIFIED. */
export const SRS_ITEM_FLAG = 9
/** SRS total down by at least this since the previous session is flagged. Verified: OpenFIT alert rule. */
export const SRS_DROP = 1
/** Reliable change on the ORS, intake to latest. Widely used; its derivation is UNVERIFIED. */
export const ORS_RELIABLE_CHANGE = 5
/** Two-tailed 95 % critical value in the Jacobson & Truax reliable change index. */
export const RCI_Z = 1.96

/** Miller, Duncan, Brown, Sparks & Claud 2003, J Brief Therapy 2(2). Verified figures from the reference. */
export const MILLER_2003 = {
  nonClinicalMean: 28.0,
  clinicalMean: 19.6,
  clinicalN: 435,
  cutoff: 25,
} as const

/** Normative sample: mean sessions per episode and SD. Source: OpenFIT (as given in the reference). */
export const NORMATIVE_SESSIONS = { mean: 5.8, sd: 4.2 } as const

export interface NormSettings {
  orsAdultCutoff: number
  orsAdolescentCutoff: number
  corsChildCutoff: number
  srsCutoff: number
  srsItemFlag: number
  srsDrop: number
  reliableChange: number
}

export const DEFAULT_NORMS: Readonly<NormSettings> = {
  orsAdultCutoff: ORS_ADULT_CUTOFF,
  orsAdolescentCutoff: ORS_ADOLESCENT_CUTOFF,
  corsChildCutoff: CORS_CHILD_CUTOFF,
  srsCutoff: SRS_CUTOFF,
  srsItemFlag: SRS_ITEM_FLAG,
  srsDrop: SRS_DROP,
  reliableChange: ORS_RELIABLE_CHANGE,
}

/** Which defaults the reference marks as verified, for an admin screen that shows provenance. */
export const NORM_VERIFIED: Readonly<Record<keyof NormSettings, boolean>> = {
  orsAdultCutoff: true,
  orsAdolescentCutoff: false,
  corsChildCutoff: true,
  srsCutoff: true,
  srsItemFlag: false,
  srsDrop: true,
  reliableChange: false,
}

export function resolveNorms(overrides?: Partial<NormSettings>): NormSettings {
  return { ...DEFAULT_NORMS, ...overrides }
}

/**
 * Clinical cut-off for a form and age group, or null when no norm exists for the pair.
 * Outcome norms are only applied inside the band they were collected in (ORS 13+, CORS 6–12):
 * an ORS used off-label with a 10-year-old has no cut-off rather than a borrowed one.
 * All scored session forms (SRS, CSRS, GSRS) use the SRS cut-off; for CSRS and GSRS that is an
 * extension of the published SRS rule, not a separately published figure.
 */
export function cutoffFor(
  instrumentId: InstrumentId,
  ageGroup: AgeGroup,
  overrides?: Partial<NormSettings>,
): number | null {
  const norms = resolveNorms(overrides)
  const instrument = getInstrument(instrumentId)
  if (!instrument.scored) return null
  if (instrument.kind === 'session') return norms.srsCutoff
  if (instrumentId === 'ORS') {
    if (ageGroup === 'adult') return norms.orsAdultCutoff
    if (ageGroup === 'adolescent') return norms.orsAdolescentCutoff
    return null
  }
  if (instrumentId === 'CORS') return ageGroup === 'child' ? norms.corsChildCutoff : null
  return null
}

/** Jacobson & Truax reliable change: 1.96 · SD1 · √2 · √(1 − r). SD1 = pre-treatment SD, r = test–retest reliability. */
export function reliableChangeIndex(sd1: number, r: number): number {
  if (!(sd1 >= 0) || !Number.isFinite(sd1))
    throw new RangeError(`SD must be a non-negative number: ${sd1}`)
  if (!(r >= 0 && r <= 1)) throw new RangeError(`Reliability must be within 0–1: ${r}`)
  return RCI_Z * sd1 * Math.SQRT2 * Math.sqrt(1 - r)
}

/** Jacobson & Truax cut-off c: (SD0·M1 + SD1·M0) / (SD0 + SD1); 0 = functional, 1 = dysfunctional population. */
export function jacobsonTruaxCutoff(m0: number, sd0: number, m1: number, sd1: number): number {
  if (!(sd0 > 0) || !(sd1 > 0)) throw new RangeError('Both SDs must be positive')
  return (sd0 * m1 + sd1 * m0) / (sd0 + sd1)
}

export const CHANGE_CATEGORIES = [
  'reliable-improvement',
  'reliable-deterioration',
  'no-reliable-change',
] as const
export type ChangeCategory = (typeof CHANGE_CATEGORIES)[number]

/**
 * A change of exactly the RCI counts as reliable (change >= RCI), the usual convention.
 * The difference is rounded to one decimal first, so 8.2 − 3.2 is 5 and not 4.999999999999999.
 */
export function changeCategory(
  intake: number,
  latest: number,
  rci: number = ORS_RELIABLE_CHANGE,
): ChangeCategory {
  const change = roundScore(latest - intake)
  if (change >= rci) return 'reliable-improvement'
  if (change <= -rci) return 'reliable-deterioration'
  return 'no-reliable-change'
}

/** Jacobson & Truax: started below the cut-off, ended at/above it, and the change is reliable. */
export function isClinicallySignificantChange(
  intake: number,
  latest: number,
  cutoff: number,
  rci: number = ORS_RELIABLE_CHANGE,
): boolean {
  return (
    intake < cutoff &&
    latest >= cutoff &&
    changeCategory(intake, latest, rci) === 'reliable-improvement'
  )
}

export interface SessionRating {
  total: number
  items: Readonly<Record<string, number>>
}

export type SrsFlag =
  | { kind: 'below-cutoff'; total: number; cutoff: number }
  | { kind: 'item-low'; items: { itemId: string; score: number }[]; threshold: number }
  | { kind: 'drop'; total: number; previousTotal: number; drop: number }

/** Alliance flags for one session rating, optionally against the previous one of the same form. */
export function srsFlags(
  current: SessionRating,
  previous?: Pick<SessionRating, 'total'> | null,
  settings?: Partial<NormSettings>,
): SrsFlag[] {
  const norms = resolveNorms(settings)
  const flags: SrsFlag[] = []
  if (current.total < norms.srsCutoff)
    flags.push({ kind: 'below-cutoff', total: current.total, cutoff: norms.srsCutoff })
  const low = Object.entries(current.items)
    .filter(([, score]) => score < norms.srsItemFlag)
    .map(([itemId, score]) => ({ itemId, score }))
  if (low.length > 0) flags.push({ kind: 'item-low', items: low, threshold: norms.srsItemFlag })
  if (previous) {
    const drop = roundScore(previous.total - current.total)
    if (drop >= norms.srsDrop)
      flags.push({ kind: 'drop', total: current.total, previousTotal: previous.total, drop })
  }
  return flags
}
