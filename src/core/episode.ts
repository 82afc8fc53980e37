// Which administrations of an episode count, and the outcome / session-rating series built from them.
import { getInstrument } from './instruments.ts'
import { roundScore } from './scoring.ts'
import type { AdministrationRecord, EpisodeRecord, Rater } from './types.ts'

/** Final, not voided and not replaced by a correction. Drafts never count anywhere. */
export function isCounted(a: AdministrationRecord): boolean {
  return (
    a.status === 'final' &&
    a.voided !== true &&
    (a.supersededBy === undefined || a.supersededBy === null || a.supersededBy === '')
  )
}

export function countedAdministrations(episode: EpisodeRecord): AdministrationRecord[] {
  return episode.administrations.filter(isCounted)
}

/** Counted administrations of scored forms (YCORS/YCSRS are stored and shown, never counted in statistics). */
export function scoredAdministrations(episode: EpisodeRecord): AdministrationRecord[] {
  return countedAdministrations(episode).filter((a) => getInstrument(a.instrumentId).scored)
}

function bySessionThenTime(a: AdministrationRecord, b: AdministrationRecord): number {
  return a.session - b.session || (a.markedAt < b.markedAt ? -1 : a.markedAt > b.markedAt ? 1 : 0)
}

/** Keeps the last-marked administration per key, in session order. */
function lastPer(
  list: AdministrationRecord[],
  key: (a: AdministrationRecord) => string,
): AdministrationRecord[] {
  const byKey = new Map<string, AdministrationRecord>()
  for (const a of [...list].sort(bySessionThenTime)) byKey.set(key(a), a)
  return [...byKey.values()].sort(bySessionThenTime)
}

/**
 * The outcome series that status, trajectories and aggregates follow: scored outcome forms by
 * ONE rater, one per session. A client's own ratings are preferred; if there are none (a parent
 * rates for a young child) the rater of the first outcome form is followed. Mixing a parent's
 * and a child's ratings in one line would make change meaningless; collateral ratings are
 * still counted in the collateral-rater figures.
 */
export function outcomeSeries(episode: EpisodeRecord): AdministrationRecord[] {
  const outcomes = scoredAdministrations(episode)
    .filter((a) => getInstrument(a.instrumentId).kind === 'outcome')
    .sort(bySessionThenTime)
  const first = outcomes[0]
  if (!first) return []
  const rater: Rater = outcomes.some((a) => a.rater === 'client') ? 'client' : first.rater
  return lastPer(
    outcomes.filter((a) => a.rater === rater),
    (a) => String(a.session),
  )
}

/** Scored session-rating forms (SRS, CSRS, GSRS), one per session and form, in session order. */
export function sessionRatingSeries(episode: EpisodeRecord): AdministrationRecord[] {
  const ratings = scoredAdministrations(episode).filter(
    (a) => getInstrument(a.instrumentId).kind === 'session',
  )
  return lastPer(ratings, (a) => `${a.session}|${a.instrumentId}`)
}

export interface OutcomeChange {
  intake: AdministrationRecord
  latest: AdministrationRecord
  /** Sessions counted from the intake form: the intake is k = 1. */
  k: number
  change: number
}

/** Intake and latest of an outcome series with at least two forms, else null. */
export function outcomeChange(series: readonly AdministrationRecord[]): OutcomeChange | null {
  const intake = series[0]
  const latest = series[series.length - 1]
  if (!intake || !latest || series.length < 2) return null
  return {
    intake,
    latest,
    k: latest.session - intake.session + 1,
    change: roundScore(latest.total - intake.total),
  }
}

/** Whole days between two ISO dates; only the date part is used so time zones cannot shift it. */
export function daysBetween(startISO: string, endISO: string): number {
  const start = Date.parse(`${startISO.slice(0, 10)}T00:00:00Z`)
  const end = Date.parse(`${endISO.slice(0, 10)}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end))
    throw new RangeError(`Not ISO dates: ${startISO}, ${endISO}`)
  return Math.round((end - start) / 86_400_000)
}

export function isClosed(episode: EpisodeRecord): boolean {
  return episode.endedAt !== undefined && episode.endedAt !== null && episode.endedAt !== ''
}
