// Traffic-light status of one episode, recomputed after every administration, with its reasons.
import {
  countedAdministrations,
  outcomeChange,
  outcomeSeries,
  scoredAdministrations,
  sessionRatingSeries,
} from './episode.ts'
import { getInstrument } from './instruments.ts'
import { changeCategory, cutoffFor, type NormSettings, resolveNorms, srsFlags } from './norms.ts'
import { roundScore } from './scoring.ts'
import {
  atRiskAt,
  DEFAULT_TRAJECTORY,
  expectedAt,
  type TrajectoryParams,
  targetAt,
} from './trajectory.ts'
import type { AdministrationRecord, EpisodeRecord } from './types.ts'

export const STATUS_COLOURS = ['grey', 'green', 'orange', 'red'] as const
export type StatusColour = (typeof STATUS_COLOURS)[number]

/** i18n keys of status reasons; the values each carries are listed beside it. */
export const STATUS_REASON_KEYS = {
  /** values: count (0: no outcome form yet; 1: the first session, no trend yet) */
  tooFewOutcome: 'status.reason.tooFewOutcome',
  /** values: instrument. Only unscored young-child forms so far: shown, never rated by colour. */
  unscoredOnly: 'status.reason.unscoredOnly',
  /** values: score, boundary, session, instrument */
  belowAtRisk: 'status.reason.belowAtRisk',
  /** values: intake, score, change, rci, session, instrument */
  reliableDeterioration: 'status.reason.reliableDeterioration',
  /** values: total, cutoff, session, instrument */
  srsBelowCutoff: 'status.reason.srsBelowCutoff',
  /** values: total, previous, drop, session, instrument */
  srsDrop: 'status.reason.srsDrop',
  /** values: items (comma-separated item ids), count, lowest, threshold, session. Informative: never changes the colour. */
  srsItemLow: 'status.reason.srsItemLow',
  /** values: intake, cutoff, session, instrument. Informative: the intake is below the clinical cut-off. */
  clinicalIntake: 'status.reason.clinicalIntake',
  /** values: score, target, boundary, session, instrument */
  belowTarget: 'status.reason.belowTarget',
  /** values: score, target, session, instrument */
  onTarget: 'status.reason.onTarget',
} as const
export type StatusReasonKey = (typeof STATUS_REASON_KEYS)[keyof typeof STATUS_REASON_KEYS]

/**
 * What a reason is for: `colour` names a rule that set the colour; `act` is an alliance alarm
 * to act on now although the colour could not use it (grey at the first session); `note` is
 * informative and never changes the colour.
 */
export const REASON_ROLES = ['colour', 'act', 'note'] as const
export type ReasonRole = (typeof REASON_ROLES)[number]

export interface StatusReason {
  key: StatusReasonKey
  values: Record<string, number | string>
  /** Absent in records made before roles existed: read as `colour`. */
  role?: ReasonRole
}

/** The rules that can set each colour, in the reference's order; a colour reason is always one of its colour's. */
export const COLOUR_RULES: Readonly<Record<StatusColour, readonly StatusReasonKey[]>> = {
  grey: [STATUS_REASON_KEYS.tooFewOutcome, STATUS_REASON_KEYS.unscoredOnly],
  red: [
    STATUS_REASON_KEYS.belowAtRisk,
    STATUS_REASON_KEYS.reliableDeterioration,
    STATUS_REASON_KEYS.srsBelowCutoff,
    STATUS_REASON_KEYS.srsDrop,
  ],
  orange: [STATUS_REASON_KEYS.belowTarget],
  green: [STATUS_REASON_KEYS.onTarget],
}

export const reasonRole = (reason: StatusReason): ReasonRole => reason.role ?? 'colour'

export interface EpisodeStatus {
  colour: StatusColour
  reasons: StatusReason[]
  /** Where the latest outcome score sits against the reference lines (absent when grey). */
  position?: {
    intake: number
    score: number
    session: number
    k: number
    expected: number
    target: number
    atRisk: number
  }
}

export interface StatusSettings {
  norms?: Partial<NormSettings>
  trajectory?: TrajectoryParams
}

/** Alliance reasons from the latest scored session rating, compared with the previous one of the same form. */
function sessionRatingReasons(
  episode: EpisodeRecord,
  norms: NormSettings,
): { alarms: StatusReason[]; notes: StatusReason[] } {
  const ratings = sessionRatingSeries(episode)
  const latest = ratings[ratings.length - 1]
  if (!latest) return { alarms: [], notes: [] }
  const previous: AdministrationRecord | undefined = ratings
    .slice(0, -1)
    .filter((a) => a.instrumentId === latest.instrumentId)
    .pop()
  const alarms: StatusReason[] = []
  const notes: StatusReason[] = []
  const session = latest.session
  const instrument = latest.instrumentId
  for (const flag of srsFlags(latest, previous ?? null, norms)) {
    if (flag.kind === 'below-cutoff') {
      alarms.push({
        key: STATUS_REASON_KEYS.srsBelowCutoff,
        values: { total: flag.total, cutoff: flag.cutoff, session, instrument },
        role: 'colour',
      })
    } else if (flag.kind === 'drop') {
      alarms.push({
        key: STATUS_REASON_KEYS.srsDrop,
        values: {
          total: flag.total,
          previous: flag.previousTotal,
          drop: flag.drop,
          session,
          instrument,
        },
        role: 'colour',
      })
    } else {
      notes.push({
        key: STATUS_REASON_KEYS.srsItemLow,
        values: {
          items: flag.items.map((i) => i.itemId).join(','),
          count: flag.items.length,
          lowest: Math.min(...flag.items.map((i) => i.score)),
          threshold: flag.threshold,
          session,
        },
        role: 'note',
      })
    }
  }
  return { alarms, notes }
}

/** "Starts in the clinical range": the followed series' intake below its form's cut-off for the age group. */
function clinicalIntakeNote(
  episode: EpisodeRecord,
  intake: AdministrationRecord | undefined,
  norms: NormSettings,
): StatusReason[] {
  if (!intake) return []
  const cutoff = cutoffFor(intake.instrumentId, episode.ageGroup, norms)
  if (cutoff === null || !(intake.total < cutoff)) return []
  return [
    {
      key: STATUS_REASON_KEYS.clinicalIntake,
      values: {
        intake: intake.total,
        cutoff,
        session: intake.session,
        instrument: intake.instrumentId,
      },
      role: 'note',
    },
  ]
}

/**
 * Colour rules, in the reference's order ("Progress against expectation"):
 * - grey: fewer than two scored outcome forms (ORS/CORS) in the followed series: no trend yet.
 *   SRS alarms cannot colour a grey status, but they are listed beside it to act on now
 *   (role `act`), because an alliance problem in the first session matters most.
 * - red: latest outcome below the at-risk line, or reliable deterioration since intake, or the
 *   latest session rating below the cut-off, or dropped by the drop threshold since the previous.
 * - orange: at/above the at-risk line but below the target line.
 * - green: at/above the target line.
 * Every status carries at least one reason with role `colour`, one of COLOUR_RULES[colour].
 * The lines are rounded to one decimal before comparing, so a reason never reads "19.5 is below
 * 19.5". Input: the whole episode; drafts, voided and superseded records are ignored here.
 */
export function episodeStatus(
  episode: EpisodeRecord,
  settings: StatusSettings = {},
): EpisodeStatus {
  const norms = resolveNorms(settings.norms)
  const params = settings.trajectory ?? DEFAULT_TRAJECTORY
  const { alarms, notes: allianceNotes } = sessionRatingReasons(episode, norms)
  const series = outcomeSeries(episode)
  const change = outcomeChange(series)
  const notes = [...clinicalIntakeNote(episode, series[0], norms), ...allianceNotes]

  if (!change) {
    const unscored = countedAdministrations(episode).find(
      (a) =>
        !getInstrument(a.instrumentId).scored && getInstrument(a.instrumentId).kind === 'outcome',
    )
    const first: StatusReason =
      scoredAdministrations(episode).length === 0 && unscored
        ? {
            key: STATUS_REASON_KEYS.unscoredOnly,
            values: { instrument: unscored.instrumentId },
            role: 'colour',
          }
        : {
            key: STATUS_REASON_KEYS.tooFewOutcome,
            values: { count: series.length },
            role: 'colour',
          }
    const actNow = alarms.map((r): StatusReason => ({ ...r, role: 'act' }))
    return { colour: 'grey', reasons: [first, ...actNow, ...notes] }
  }

  const intake = change.intake.total
  const score = change.latest.total
  const session = change.latest.session
  const instrument = change.latest.instrumentId
  const target = roundScore(targetAt(params, intake, change.k))
  const atRisk = roundScore(atRiskAt(params, intake, change.k))
  const position = {
    intake,
    score,
    session,
    k: change.k,
    expected: roundScore(expectedAt(params, intake, change.k)),
    target,
    atRisk,
  }

  const red: StatusReason[] = []
  if (score < atRisk)
    red.push({
      key: STATUS_REASON_KEYS.belowAtRisk,
      values: { score, boundary: atRisk, session, instrument },
      role: 'colour',
    })
  if (changeCategory(intake, score, norms.reliableChange) === 'reliable-deterioration') {
    red.push({
      key: STATUS_REASON_KEYS.reliableDeterioration,
      values: {
        intake,
        score,
        change: change.change,
        rci: norms.reliableChange,
        session,
        instrument,
      },
      role: 'colour',
    })
  }
  red.push(...alarms)
  if (red.length > 0) return { colour: 'red', reasons: [...red, ...notes], position }
  if (score < target) {
    return {
      colour: 'orange',
      reasons: [
        {
          key: STATUS_REASON_KEYS.belowTarget,
          values: { score, target, boundary: atRisk, session, instrument },
          role: 'colour',
        },
        ...notes,
      ],
      position,
    }
  }
  return {
    colour: 'green',
    reasons: [
      {
        key: STATUS_REASON_KEYS.onTarget,
        values: { score, target, session, instrument },
        role: 'colour',
      },
      ...notes,
    ],
    position,
  }
}
