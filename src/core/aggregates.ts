// Report figures over a set of episodes (per practitioner, unit, organisation or period), each with its n: the fold of the episodes' facts.
import { type AggregateOptions, type EpisodeFacts, episodeFacts, tenths } from './episode-facts.ts'
import { percent } from './stats.ts'
import type { AgeGroup, EpisodeRecord, Figure } from './types.ts'

export type { AggregateOptions }

/** A figure plus the distinct clients it rests on, which small-cell suppression needs. */
export interface ReportFigure extends Figure {
  clients: number
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
  effectSize: Record<'prePost', ReportFigure>
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

/** Adds rows into one figure: n, a sum (or hits) and the distinct clients. */
class Tally {
  n = 0
  sum = 0
  /** Distinct clients: rows come grouped by client (see foldFacts), so a new client is a new run. */
  clients = 0
  private last: string | undefined
  add(clientId: string, value: number, n = 1): void {
    this.n += n
    this.sum += value
    if (clientId !== this.last) {
      this.clients += 1
      this.last = clientId
    }
  }
  figure(value: number | null): ReportFigure {
    return { value, n: this.n, clients: this.clients }
  }
  /** Mean of values added in tenths of a point. */
  meanOfTenths(): ReportFigure {
    return this.figure(this.n === 0 ? null : this.sum / (10 * this.n))
  }
  mean(): ReportFigure {
    return this.figure(this.n === 0 ? null : this.sum / this.n)
  }
  percent(): ReportFigure {
    return this.figure(percent(this.sum, this.n))
  }
  count(): ReportFigure {
    return this.figure(this.n)
  }
}

/** (mean latest − mean intake) / SD of intakes, from sums in tenths; exact integers until the last division. */
function prePost(n: number, intake: number, intakeSquares: number, latest: number): number | null {
  if (n < 2) return null
  const big = BigInt
  const spread = big(n) * big(intakeSquares) - big(intake) * big(intake)
  if (spread <= 0n) return null
  const sd = Math.sqrt(Number(spread) / (n * (n - 1)))
  return (latest - intake) / n / sd
}

function newer(a: EpisodeFacts, b: EpisodeFacts): boolean {
  return a.startedAt > b.startedAt || (a.startedAt === b.startedAt && a.episodeId > b.episodeId)
}

/** Whether every client's facts sit together, in ascending client order (what foldFacts needs). */
function inClientOrder(facts: readonly EpisodeFacts[]): boolean {
  for (let i = 1; i < facts.length; i++)
    if ((facts[i] as EpisodeFacts).clientId < (facts[i - 1] as EpisodeFacts).clientId) return false
  return true
}

/** Facts in ascending client order (a copy when they are not already): see foldFacts. */
export function byClient(facts: readonly EpisodeFacts[]): readonly EpisodeFacts[] {
  return inClientOrder(facts)
    ? facts
    : [...facts].sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0))
}

/**
 * The figures of a group of episodes from their facts; the order of `facts` does not matter.
 * Distinct clients are counted as runs of one client, which needs each client's facts together:
 * facts out of client order are sorted first (reports sort each group once and fold its periods
 * as filtered slices, which keep the order, so the hot path never sorts or keeps sets of ids).
 */
export function foldFacts(unordered: readonly EpisodeFacts[]): Aggregates {
  const facts = byClient(unordered)
  let clientCount = 0
  let runClient: string | undefined
  let runLatest: EpisodeFacts | undefined
  // Each client's age group is that of his most recent episode (his last run's latest facts).
  const byAge = {
    adult: new Tally(),
    adolescent: new Tally(),
    child: new Tally(),
    young: new Tally(),
  }
  const all = new Tally()
  const closed = new Tally()
  const collateralForms = new Tally()
  const collateralEpisodes = new Tally()
  const intake = { adult: new Tally(), adolescent: new Tally(), child: new Tally() }
  const firstRating = new Tally()
  const sessions = new Tally()
  const lengths = new Tally()
  const changed = new Tally()
  let intakeSquares = 0
  let latestSum = 0
  const target = new Tally()
  const improved = new Tally()
  const deteriorated = new Tally()
  const significant = new Tally()
  const endings = {
    planned: new Tally(),
    unplanned: new Tally(),
    referred: new Tally(),
    other: new Tally(),
  }
  const green = new Tally()
  const notGreen = new Tally()
  const ratings = new Tally()
  const skipped = new Tally()

  for (const f of facts) {
    const c = f.clientId
    if (c !== runClient) {
      if (runLatest) byAge[runLatest.ageGroup].add(runLatest.clientId, 1)
      clientCount += 1
      runClient = c
      runLatest = f
    } else if (newer(f, runLatest as EpisodeFacts)) runLatest = f
    all.add(c, 1)
    collateralForms.add(c, f.collateral)
    collateralEpisodes.add(c, f.collateral > 0 ? 1 : 0)
    if (f.intake !== null && f.ageGroup !== 'young') intake[f.ageGroup].add(c, tenths(f.intake))
    if (f.firstRating !== null) firstRating.add(c, tenths(f.firstRating))
    if (f.intake !== null && f.latest !== null) {
      const t = tenths(f.intake)
      changed.add(c, t)
      intakeSquares += t * t
      latestSum += tenths(f.latest)
    }
    if (f.ratings > 0) ratings.add(c, f.ratingTenths, f.ratings)
    if (f.outcomeSessions > 0) skipped.add(c, f.skippedSessions, f.outcomeSessions)
    if (f.endedAt === null) continue
    closed.add(c, 1)
    if (f.sessions > 0) sessions.add(c, f.sessions)
    lengths.add(c, f.lengthDays ?? 0)
    if (f.latest !== null) {
      target.add(c, f.reachedTarget ? 1 : 0)
      improved.add(c, f.change === 'reliable-improvement' ? 1 : 0)
      deteriorated.add(c, f.change === 'reliable-deterioration' ? 1 : 0)
      if (f.clinicallySignificant !== null) significant.add(c, f.clinicallySignificant ? 1 : 0)
    }
    if (f.ending === null) continue
    endings.planned.add(c, f.ending === 'planned' ? 1 : 0)
    endings.unplanned.add(c, f.ending === 'unplanned' ? 1 : 0)
    endings.referred.add(c, f.ending === 'referred' ? 1 : 0)
    endings.other.add(c, f.ending === 'other' ? 1 : 0)
    if (f.ending === 'unplanned') {
      green.add(c, f.greenAtEnd ? 1 : 0)
      notGreen.add(c, f.greenAtEnd ? 0 : 1)
    }
  }

  if (runLatest) byAge[runLatest.ageGroup].add(runLatest.clientId, 1)
  return {
    clients: {
      total: { value: clientCount, n: clientCount, clients: clientCount },
      adult: byAge.adult.count(),
      adolescent: byAge.adolescent.count(),
      child: byAge.child.count(),
      young: byAge.young.count(),
    },
    episodes: { total: all.count(), closed: closed.count() },
    collateral: {
      administrations: collateralForms.figure(collateralForms.sum),
      episodes: collateralEpisodes.figure(collateralEpisodes.sum),
    },
    intakeOutcome: {
      adult: intake.adult.meanOfTenths(),
      adolescent: intake.adolescent.meanOfTenths(),
      child: intake.child.meanOfTenths(),
    },
    intakeSessionRating: firstRating.meanOfTenths(),
    sessionsPerEpisode: sessions.mean(),
    episodeLengthDays: lengths.mean(),
    effectSize: {
      prePost: changed.figure(prePost(changed.n, changed.sum, intakeSquares, latestSum)),
    },
    closedOutcomes: {
      reachedTarget: target.percent(),
      reliableImprovement: improved.percent(),
      reliableDeterioration: deteriorated.percent(),
      clinicallySignificant: significant.percent(),
    },
    endings: {
      planned: endings.planned.percent(),
      unplanned: endings.unplanned.percent(),
      referred: endings.referred.percent(),
      other: endings.other.percent(),
    },
    unplannedEndings: { green: green.percent(), notGreen: notGreen.percent() },
    sessionRatingMean: ratings.meanOfTenths(),
    skippedFeedback: skipped.percent(),
    suppressed: false,
  }
}

/** The figures of a group of episodes: the fold of each episode's facts under the settings given. */
export function computeAggregates(
  episodes: readonly EpisodeRecord[],
  options: AggregateOptions = {},
): Aggregates {
  return foldFacts(episodes.map((e) => episodeFacts(e, options)))
}
