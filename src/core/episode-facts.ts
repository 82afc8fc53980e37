// What one episode contributes to report figures: a small serialisable record the server keeps per episode (its read model) and the fold adds up.
import {
  daysBetween,
  isClosed,
  outcomeChange,
  outcomeSeries,
  scoredAdministrations,
  sessionRatingSeries,
} from './episode.ts'
import { getInstrument } from './instruments.ts'
import {
  type ChangeCategory,
  changeCategory,
  cutoffFor,
  isClinicallySignificantChange,
  type NormSettings,
  resolveNorms,
} from './norms.ts'
import { roundScore } from './scoring.ts'
import { episodeStatus } from './status.ts'
import { DEFAULT_TRAJECTORY, type TrajectoryParams, targetAt } from './trajectory.ts'
import type { AgeGroup, Ending, EpisodeRecord, InstrumentId } from './types.ts'

/** The organisation's settings that change facts: a change of either means every episode's facts are recomputed. */
export interface AggregateOptions {
  norms?: Partial<NormSettings>
  trajectory?: TrajectoryParams
}

/**
 * One episode's part in every report figure. Scores are kept as the forms give them (one
 * decimal); the fold adds them in tenths, as integers, so the sum of a group is the same in
 * whatever order its episodes come. The last four fields depend on the settings.
 */
export interface EpisodeFacts {
  episodeId: string
  clientId: string
  ageGroup: AgeGroup
  startedAt: string
  /** Null while the episode is open. */
  endedAt: string | null
  ending: Ending | null
  /** Days from start to end date of an ended episode (worked out once here: the fold runs often). */
  lengthDays: number | null
  /** Scored forms marked by someone other than the client. */
  collateral: number
  /** Distinct sessions with a scored form. */
  sessions: number
  /** First and latest total of the followed outcome series; latest only with two or more forms. */
  intake: number | null
  latest: number | null
  firstRating: number | null
  /** Every scored session rating, summed in tenths, and how many. */
  ratingTenths: number
  ratings: number
  /** Sessions with a scored outcome form, and those of them without a scored session rating. */
  outcomeSessions: number
  skippedSessions: number
  /** With two or more outcome forms: at or above the target line at the latest form. */
  reachedTarget: boolean | null
  change: ChangeCategory | null
  /** Null unless the intake was below the cut-off for its form and age group. */
  clinicallySignificant: boolean | null
  /** Only for an ended episode with an unplanned ending: the status colour was green. */
  greenAtEnd: boolean | null
}

export function episodeFacts(episode: EpisodeRecord, options: AggregateOptions = {}): EpisodeFacts {
  const norms = resolveNorms(options.norms)
  const params = options.trajectory ?? DEFAULT_TRAJECTORY
  const scored = scoredAdministrations(episode)
  const series = outcomeSeries(episode)
  const change = outcomeChange(series)
  const ratings = sessionRatingSeries(episode)
  const kindOf = (id: InstrumentId) => getInstrument(id).kind
  const rated = new Set(
    scored.filter((a) => kindOf(a.instrumentId) === 'session').map((a) => a.session),
  )
  const outcomeSessions = new Set(
    scored.filter((a) => kindOf(a.instrumentId) === 'outcome').map((a) => a.session),
  )
  const closed = isClosed(episode)
  const ending = episode.ending ?? null
  let clinicallySignificant: boolean | null = null
  if (change) {
    const cutoff = cutoffFor(change.intake.instrumentId, episode.ageGroup, norms)
    if (cutoff !== null && change.intake.total < cutoff)
      clinicallySignificant = isClinicallySignificantChange(
        change.intake.total,
        change.latest.total,
        cutoff,
        norms.reliableChange,
      )
  }
  return {
    episodeId: episode.id,
    clientId: episode.clientId,
    ageGroup: episode.ageGroup,
    startedAt: episode.startedAt,
    endedAt: closed ? (episode.endedAt as string) : null,
    ending,
    lengthDays: closed ? daysBetween(episode.startedAt, episode.endedAt as string) : null,
    collateral: scored.filter((a) => a.rater !== 'client').length,
    sessions: new Set(scored.map((a) => a.session)).size,
    intake: series[0]?.total ?? null,
    latest: change ? change.latest.total : null,
    firstRating: ratings[0]?.total ?? null,
    ratingTenths: ratings.reduce((s, a) => s + tenths(a.total), 0),
    ratings: ratings.length,
    outcomeSessions: outcomeSessions.size,
    skippedSessions: [...outcomeSessions].filter((s) => !rated.has(s)).length,
    // Same rounding as the status screen, so "reached target" agrees with the green colour.
    reachedTarget: change
      ? change.latest.total >= roundScore(targetAt(params, change.intake.total, change.k))
      : null,
    change: change
      ? changeCategory(change.intake.total, change.latest.total, norms.reliableChange)
      : null,
    clinicallySignificant,
    greenAtEnd:
      closed && ending === 'unplanned'
        ? episodeStatus(episode, { norms, trajectory: params }).colour === 'green'
        : null,
  }
}

/** A score in tenths (scores have one decimal), so sums are exact integers. */
export function tenths(score: number): number {
  return Math.round(score * 10)
}
