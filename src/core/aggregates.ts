// Report figures over a set of episodes (per practitioner, unit, organisation or period), each with its n.
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
  changeCategory,
  cutoffFor,
  isClinicallySignificantChange,
  type NormSettings,
  resolveNorms,
} from './norms.ts'
import { roundScore } from './scoring.ts'
import { clinicalCases, type SeverityReference, severityAdjustedEffectSize } from './severity.ts'
import { mean, percent, sampleSd } from './stats.ts'
import { episodeStatus } from './status.ts'
import { DEFAULT_TRAJECTORY, type TrajectoryParams, targetAt } from './trajectory.ts'
import type { AgeGroup, EpisodeRecord, Figure } from './types.ts'

/** A figure plus the distinct clients it rests on, which small-cell suppression needs. */
export interface ReportFigure extends Figure {
  clients: number
}

export interface AggregateOptions {
  norms?: Partial<NormSettings>
  trajectory?: TrajectoryParams
  /** Without a reference the severity-adjusted effect size is null (see severity.ts). */
  severityReference?: SeverityReference
}

export interface Aggregates {
  /** Distinct clients, by the age group of each client's most recent episode. */
  clients: Record<'total' | AgeGroup, ReportFigure>
  episodes: Record<'total' | 'closed', ReportFigure>
  /** Scored forms marked by someone other than the client, and episodes with at least one. */
  collateral: Record<'administrations' | 'episodes', ReportFigure>
  /** Mean first outcome score (followed series) by age group; young children have no scored form. */
  intakeOutcome: Record<'adult' | 'adolescent' | 'child', ReportFigure>
  /** Mean first session rating (SRS/CSRS/GSRS) of each episode. */
  intakeSessionRating: ReportFigure
  /** Closed episodes: distinct sessions with a scored form; length from start to end date. */
  sessionsPerEpisode: ReportFigure
  episodeLengthDays: ReportFigure
  /** All episodes with two or more scored outcome forms (open ones use their latest form). */
  effectSize: Record<'prePost' | 'severityAdjusted', ReportFigure>
  /** Percent of closed episodes with two or more scored outcome forms. Clinically significant change counts only cases that started below the cut-off. */
  closedOutcomes: Record<
    'reachedTarget' | 'reliableImprovement' | 'reliableDeterioration' | 'clinicallySignificant',
    ReportFigure
  >
  /** Percent of closed episodes with a recorded ending. */
  endings: Record<'planned' | 'unplanned' | 'referred' | 'other', ReportFigure>
  /** Percent of unplanned endings (dropouts) whose status at the end was green / not green. */
  unplannedEndings: Record<'green' | 'notGreen', ReportFigure>
  /** Mean of every scored session rating; n = ratings. */
  sessionRatingMean: ReportFigure
  /** Percent of sessions with a scored outcome form but no scored session rating; n = such sessions. */
  skippedFeedback: ReportFigure
  suppressed: boolean
}

function fig(value: number | null, n: number, clientIds: Iterable<string>): ReportFigure {
  return { value, n, clients: new Set(clientIds).size }
}

function meanFig(rows: readonly { clientId: string; value: number }[]): ReportFigure {
  return fig(
    mean(rows.map((r) => r.value)),
    rows.length,
    rows.map((r) => r.clientId),
  )
}

function percentFig(rows: readonly { clientId: string; hit: boolean }[]): ReportFigure {
  return fig(
    percent(rows.filter((r) => r.hit).length, rows.length),
    rows.length,
    rows.map((r) => r.clientId),
  )
}

function latestAgeGroupByClient(episodes: readonly EpisodeRecord[]): Map<string, AgeGroup> {
  const latest = new Map<string, EpisodeRecord>()
  for (const e of episodes) {
    const seen = latest.get(e.clientId)
    if (!seen || e.startedAt > seen.startedAt || (e.startedAt === seen.startedAt && e.id > seen.id))
      latest.set(e.clientId, e)
  }
  return new Map([...latest].map(([clientId, e]) => [clientId, e.ageGroup]))
}

export function computeAggregates(
  episodes: readonly EpisodeRecord[],
  options: AggregateOptions = {},
): Aggregates {
  const norms = resolveNorms(options.norms)
  const params = options.trajectory ?? DEFAULT_TRAJECTORY
  const allClients = episodes.map((e) => e.clientId)
  const closed = episodes.filter(isClosed)

  const ageByClient = latestAgeGroupByClient(episodes)
  const clientsIn = (group: AgeGroup): string[] =>
    [...ageByClient].filter(([, g]) => g === group).map(([c]) => c)
  const clientCount = (ids: string[]): ReportFigure => fig(ids.length, ids.length, ids)

  const collateralPerEpisode = episodes.map((e) => ({
    clientId: e.clientId,
    count: scoredAdministrations(e).filter((a) => a.rater !== 'client').length,
  }))

  const withSeries = episodes.map((e) => {
    const series = outcomeSeries(e)
    return { episode: e, series, change: outcomeChange(series) }
  })
  const intakeRows = (group: AgeGroup) =>
    withSeries.flatMap((r) => {
      const intake = r.series[0]
      return r.episode.ageGroup === group && intake
        ? [{ clientId: r.episode.clientId, value: intake.total }]
        : []
    })

  const firstRatings = episodes.flatMap((e) => {
    const first = sessionRatingSeries(e)[0]
    return first ? [{ clientId: e.clientId, value: first.total }] : []
  })

  const sessionCounts = closed.flatMap((e) => {
    const sessions = new Set(scoredAdministrations(e).map((a) => a.session)).size
    return sessions > 0 ? [{ clientId: e.clientId, value: sessions }] : []
  })
  const lengths = closed.map((e) => ({
    clientId: e.clientId,
    value: daysBetween(e.startedAt, e.endedAt ?? e.startedAt),
  }))

  const changed = withSeries.flatMap((r) =>
    r.change ? [{ episode: r.episode, change: r.change }] : [],
  )
  const intakes = changed.map((r) => r.change.intake.total)
  const intakeSd = sampleSd(intakes)
  const meanIntake = mean(intakes)
  const meanLast = mean(changed.map((r) => r.change.latest.total))
  const prePost =
    intakeSd && meanIntake !== null && meanLast !== null ? (meanLast - meanIntake) / intakeSd : null
  const cases = clinicalCases(episodes, norms)
  const saes = options.severityReference
    ? severityAdjustedEffectSize(cases, options.severityReference)
    : null

  const closedChanged = changed.filter((r) => isClosed(r.episode))
  const category = (r: (typeof closedChanged)[number]) =>
    changeCategory(r.change.intake.total, r.change.latest.total, norms.reliableChange)
  const cscRows = closedChanged.flatMap((r) => {
    const cutoff = cutoffFor(r.change.intake.instrumentId, r.episode.ageGroup, norms)
    if (cutoff === null || r.change.intake.total >= cutoff) return []
    const hit = isClinicallySignificantChange(
      r.change.intake.total,
      r.change.latest.total,
      cutoff,
      norms.reliableChange,
    )
    return [{ clientId: r.episode.clientId, hit }]
  })

  const ended = closed.filter((e) => e.ending !== undefined && e.ending !== null)
  const endingFig = (kind: string) =>
    percentFig(ended.map((e) => ({ clientId: e.clientId, hit: e.ending === kind })))
  const unplanned = ended.filter((e) => e.ending === 'unplanned')
  const greenAtEnd = unplanned.map((e) => ({
    clientId: e.clientId,
    hit: episodeStatus(e, { norms, trajectory: params }).colour === 'green',
  }))

  const ratings = episodes.flatMap((e) =>
    sessionRatingSeries(e).map((a) => ({ clientId: e.clientId, value: a.total })),
  )

  const feedbackRows = episodes.flatMap((e) => {
    const scored = scoredAdministrations(e)
    const rated = new Set(
      scored.filter((a) => getInstrument(a.instrumentId).kind === 'session').map((a) => a.session),
    )
    const outcomeSessions = new Set(
      scored.filter((a) => getInstrument(a.instrumentId).kind === 'outcome').map((a) => a.session),
    )
    return [...outcomeSessions].map((s) => ({ clientId: e.clientId, hit: !rated.has(s) }))
  })

  return {
    clients: {
      total: clientCount([...new Set(allClients)]),
      adult: clientCount(clientsIn('adult')),
      adolescent: clientCount(clientsIn('adolescent')),
      child: clientCount(clientsIn('child')),
      young: clientCount(clientsIn('young')),
    },
    episodes: {
      total: fig(episodes.length, episodes.length, allClients),
      closed: fig(
        closed.length,
        closed.length,
        closed.map((e) => e.clientId),
      ),
    },
    collateral: {
      administrations: fig(
        collateralPerEpisode.reduce((s, r) => s + r.count, 0),
        episodes.length,
        allClients,
      ),
      episodes: fig(
        collateralPerEpisode.filter((r) => r.count > 0).length,
        episodes.length,
        allClients,
      ),
    },
    intakeOutcome: {
      adult: meanFig(intakeRows('adult')),
      adolescent: meanFig(intakeRows('adolescent')),
      child: meanFig(intakeRows('child')),
    },
    intakeSessionRating: meanFig(firstRatings),
    sessionsPerEpisode: meanFig(sessionCounts),
    episodeLengthDays: meanFig(lengths),
    effectSize: {
      prePost: fig(
        prePost,
        changed.length,
        changed.map((r) => r.episode.clientId),
      ),
      severityAdjusted: fig(
        saes,
        cases.length,
        cases.map((c) => c.clientId),
      ),
    },
    closedOutcomes: {
      reachedTarget: percentFig(
        closedChanged.map((r) => ({
          clientId: r.episode.clientId,
          // Same rounding as the status screen, so "reached target" agrees with the green colour.
          hit:
            r.change.latest.total >=
            roundScore(targetAt(params, r.change.intake.total, r.change.k)),
        })),
      ),
      reliableImprovement: percentFig(
        closedChanged.map((r) => ({
          clientId: r.episode.clientId,
          hit: category(r) === 'reliable-improvement',
        })),
      ),
      reliableDeterioration: percentFig(
        closedChanged.map((r) => ({
          clientId: r.episode.clientId,
          hit: category(r) === 'reliable-deterioration',
        })),
      ),
      clinicallySignificant: percentFig(cscRows),
    },
    endings: {
      planned: endingFig('planned'),
      unplanned: endingFig('unplanned'),
      referred: endingFig('referred'),
      other: endingFig('other'),
    },
    unplannedEndings: {
      green: percentFig(greenAtEnd),
      notGreen: percentFig(greenAtEnd.map((r) => ({ ...r, hit: !r.hit }))),
    },
    sessionRatingMean: meanFig(ratings),
    skippedFeedback: percentFig(feedbackRows),
    suppressed: false,
  }
}
