// Plain data for a client's outcome and session-rating charts; the UI only draws it (chart.js).
// Every line comes from the same functions the status uses, so chart and traffic light agree.
import { outcomeSeries, sessionRatingSeries } from './episode.ts'
import { formsForAge } from './instruments.ts'
import { changeCategory, cutoffFor, resolveNorms, type SrsFlag, srsFlags } from './norms.ts'
import { roundScore } from './scoring.ts'
import type { StatusSettings } from './status.ts'
import { atRiskAt, DEFAULT_TRAJECTORY, targetAt } from './trajectory.ts'
import type { AdministrationRecord, AgeGroup, EpisodeRecord, InstrumentId } from './types.ts'

/** The reference lines run at least to this session, so a new episode still shows where it is heading. */
export const CHART_MIN_SESSIONS = 6
/** ...and this many sessions past the latest point. */
export const CHART_LOOKAHEAD = 3

export interface OutcomePoint {
  id: string
  instrumentId: InstrumentId
  session: number
  total: number
  items: Readonly<Record<string, number>>
  markedAt: string
}

export interface LinePoint {
  session: number
  value: number
}

export interface ReliableChangeMark {
  session: number
  kind: 'reliable-improvement' | 'reliable-deterioration'
}

export interface OutcomeChart {
  points: OutcomePoint[]
  cutoff: number | null
  target: LinePoint[]
  atRisk: LinePoint[]
  reliableChange: ReliableChangeMark[]
}

export interface SessionPoint {
  id: string
  instrumentId: InstrumentId
  session: number
  total: number
  markedAt: string
  flags: SrsFlag[]
}

export interface SessionChart {
  points: SessionPoint[]
  cutoff: number | null
}

const toOutcomePoint = (a: AdministrationRecord): OutcomePoint => ({
  id: a.id,
  instrumentId: a.instrumentId,
  session: a.session,
  total: a.total,
  items: a.items,
  markedAt: a.markedAt,
})

/**
 * The followed outcome series (one rater, scored forms, one per session; see outcomeSeries),
 * the clinical cut-off for the latest form and the given age group, and the target and at-risk
 * lines from the intake. The lines start at the intake session (k = 1 there) and run to
 * max(latest session + 3, 6); they are rounded to one decimal like the status compares them.
 * With no scored outcome form (e.g. only YCORS) the series and lines are empty and the cut-off
 * is the age group's default outcome form's (null for young children).
 */
export function outcomeChart(
  episode: EpisodeRecord,
  ageGroup: AgeGroup,
  settings: StatusSettings = {},
): OutcomeChart {
  const norms = resolveNorms(settings.norms)
  const params = settings.trajectory ?? DEFAULT_TRAJECTORY
  const series = outcomeSeries(episode)
  const intake = series[0]
  const latest = series[series.length - 1]
  const cutoff = cutoffFor(latest?.instrumentId ?? formsForAge(ageGroup).outcome, ageGroup, norms)
  if (!intake || !latest) return { points: [], cutoff, target: [], atRisk: [], reliableChange: [] }

  const target: LinePoint[] = []
  const atRisk: LinePoint[] = []
  const last = Math.max(latest.session + CHART_LOOKAHEAD, CHART_MIN_SESSIONS)
  for (let session = intake.session; session <= last; session++) {
    const k = session - intake.session + 1
    target.push({ session, value: roundScore(targetAt(params, intake.total, k)) })
    atRisk.push({ session, value: roundScore(atRiskAt(params, intake.total, k)) })
  }

  const reliableChange: ReliableChangeMark[] = []
  for (const point of series.slice(1)) {
    const kind = changeCategory(intake.total, point.total, norms.reliableChange)
    if (kind !== 'no-reliable-change') reliableChange.push({ session: point.session, kind })
  }
  return { points: series.map(toOutcomePoint), cutoff, target, atRisk, reliableChange }
}

/**
 * Scored session ratings (SRS, CSRS, GSRS), one per session and form, each with its alliance
 * flags against the previous rating of the same form (as the status computes them). The cut-off
 * is the session forms' shared one; null when the episode has none and its age group's session
 * form is unscored (YCSRS).
 */
export function sessionChart(episode: EpisodeRecord, settings: StatusSettings = {}): SessionChart {
  const norms = resolveNorms(settings.norms)
  const ratings = sessionRatingSeries(episode)
  const previousByForm = new Map<InstrumentId, AdministrationRecord>()
  const points: SessionPoint[] = ratings.map((a) => {
    const flags = srsFlags(a, previousByForm.get(a.instrumentId) ?? null, norms)
    previousByForm.set(a.instrumentId, a)
    return {
      id: a.id,
      instrumentId: a.instrumentId,
      session: a.session,
      total: a.total,
      markedAt: a.markedAt,
      flags,
    }
  })
  const form = ratings[ratings.length - 1]?.instrumentId ?? formsForAge(episode.ageGroup).session
  return { points, cutoff: cutoffFor(form, episode.ageGroup, norms) }
}
