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
 * facts out of client order are sorted first (reports stream facts in client order into a
 * FactsFold per cell, so the hot path never sorts or keeps sets of ids).
 */
export function foldFacts(unordered: readonly EpisodeFacts[]): Aggregates {
  const fold = new FactsFold()
  for (const f of byClient(unordered)) fold.add(f)
  return fold.result()
}

/**
 * foldFacts one fact at a time, so a report can fold rows as they are read and keep none: every
 * client's facts must come together (any order of clients), as they do from a query ordered by
 * client. Each fact costs a few additions; the state is a few dozen numbers, whatever the count.
 */
export class FactsFold {
  private clientCount = 0
  private runClient: string | undefined
  private runLatest: EpisodeFacts | undefined
  private done = false
  // Each client's age group is that of his most recent episode (his run's latest facts).
  private readonly byAge = {
    adult: new Tally(),
    adolescent: new Tally(),
    child: new Tally(),
    young: new Tally(),
  }
  private readonly all = new Tally()
  private readonly closed = new Tally()
  private readonly collateralForms = new Tally()
  private readonly collateralEpisodes = new Tally()
  private readonly intake = { adult: new Tally(), adolescent: new Tally(), child: new Tally() }
  private readonly firstRating = new Tally()
  private readonly sessions = new Tally()
  private readonly lengths = new Tally()
  private readonly changed = new Tally()
  private intakeSquares = 0
  private latestSum = 0
  private readonly target = new Tally()
  private readonly improved = new Tally()
  private readonly deteriorated = new Tally()
  private readonly significant = new Tally()
  private readonly endings = {
    planned: new Tally(),
    unplanned: new Tally(),
    referred: new Tally(),
    other: new Tally(),
  }
  private readonly green = new Tally()
  private readonly notGreen = new Tally()
  private readonly ratings = new Tally()
  private readonly skipped = new Tally()

  add(f: EpisodeFacts): void {
    if (this.done) throw new Error('FactsFold: add after result')
    const c = f.clientId
    if (c !== this.runClient) {
      this.closeRun()
      this.clientCount += 1
      this.runClient = c
      this.runLatest = f
    } else if (newer(f, this.runLatest as EpisodeFacts)) this.runLatest = f
    this.all.add(c, 1)
    this.collateralForms.add(c, f.collateral)
    this.collateralEpisodes.add(c, f.collateral > 0 ? 1 : 0)
    if (f.intake !== null && f.ageGroup !== 'young')
      this.intake[f.ageGroup].add(c, tenths(f.intake))
    if (f.firstRating !== null) this.firstRating.add(c, tenths(f.firstRating))
    if (f.intake !== null && f.latest !== null) {
      const t = tenths(f.intake)
      this.changed.add(c, t)
      this.intakeSquares += t * t
      this.latestSum += tenths(f.latest)
    }
    if (f.ratings > 0) this.ratings.add(c, f.ratingTenths, f.ratings)
    if (f.outcomeSessions > 0) this.skipped.add(c, f.skippedSessions, f.outcomeSessions)
    if (f.endedAt === null) return
    this.closed.add(c, 1)
    if (f.sessions > 0) this.sessions.add(c, f.sessions)
    this.lengths.add(c, f.lengthDays ?? 0)
    if (f.latest !== null) {
      this.target.add(c, f.reachedTarget ? 1 : 0)
      this.improved.add(c, f.change === 'reliable-improvement' ? 1 : 0)
      this.deteriorated.add(c, f.change === 'reliable-deterioration' ? 1 : 0)
      if (f.clinicallySignificant !== null) this.significant.add(c, f.clinicallySignificant ? 1 : 0)
    }
    if (f.ending === null) return
    const e = this.endings
    e.planned.add(c, f.ending === 'planned' ? 1 : 0)
    e.unplanned.add(c, f.ending === 'unplanned' ? 1 : 0)
    e.referred.add(c, f.ending === 'referred' ? 1 : 0)
    e.other.add(c, f.ending === 'other' ? 1 : 0)
    if (f.ending === 'unplanned') {
      this.green.add(c, f.greenAtEnd ? 1 : 0)
      this.notGreen.add(c, f.greenAtEnd ? 0 : 1)
    }
  }

  private closeRun(): void {
    const latest = this.runLatest
    if (latest) this.byAge[latest.ageGroup].add(latest.clientId, 1)
    this.runLatest = undefined
  }

  /** The figures of every fact added; the fold takes no more after this. */
  result(): Aggregates {
    if (!this.done) this.closeRun()
    this.done = true
    const { byAge, intake, endings, changed, clientCount } = this
    return {
      clients: {
        total: { value: clientCount, n: clientCount, clients: clientCount },
        adult: byAge.adult.count(),
        adolescent: byAge.adolescent.count(),
        child: byAge.child.count(),
        young: byAge.young.count(),
      },
      episodes: { total: this.all.count(), closed: this.closed.count() },
      collateral: {
        administrations: this.collateralForms.figure(this.collateralForms.sum),
        episodes: this.collateralEpisodes.figure(this.collateralEpisodes.sum),
      },
      intakeOutcome: {
        adult: intake.adult.meanOfTenths(),
        adolescent: intake.adolescent.meanOfTenths(),
        child: intake.child.meanOfTenths(),
      },
      intakeSessionRating: this.firstRating.meanOfTenths(),
      sessionsPerEpisode: this.sessions.mean(),
      episodeLengthDays: this.lengths.mean(),
      effectSize: {
        prePost: changed.figure(
          prePost(changed.n, changed.sum, this.intakeSquares, this.latestSum),
        ),
      },
      closedOutcomes: {
        reachedTarget: this.target.percent(),
        reliableImprovement: this.improved.percent(),
        reliableDeterioration: this.deteriorated.percent(),
        clinicallySignificant: this.significant.percent(),
      },
      endings: {
        planned: endings.planned.percent(),
        unplanned: endings.unplanned.percent(),
        referred: endings.referred.percent(),
        other: endings.other.percent(),
      },
      unplannedEndings: { green: this.green.percent(), notGreen: this.notGreen.percent() },
      sessionRatingMean: this.ratings.meanOfTenths(),
      skippedFeedback: this.skipped.percent(),
      suppressed: false,
    }
  }
}

/** The figures of a group of episodes: the fold of each episode's facts under the settings given. */
export function computeAggregates(
  episodes: readonly EpisodeRecord[],
  options: AggregateOptions = {},
): Aggregates {
  return foldFacts(episodes.map((e) => episodeFacts(e, options)))
}
