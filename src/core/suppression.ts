// Anonymity for reports that leave a practitioner's own view: figures about too few clients are hidden.
import type { Aggregates, ReportFigure } from './aggregates.ts'

/** Fewer distinct clients than this and a figure is not shown outside the practitioner's own view (reference). */
export const MIN_CLIENTS_FOR_REPORT = 5

const HIDDEN: ReportFigure = { value: null, n: 0, clients: 0, suppressed: true }

export interface SuppressOptions {
  /**
   * Also hide single figures resting on 1..min−1 clients inside a large enough group (e.g. the
   * mean intake of the only two adolescents), which would otherwise show one person's scores.
   * Default true.
   */
  smallCells?: boolean
}

/**
 * Hides every figure (value null, n 0, `suppressed: true`) when the whole group has 1 to
 * `minClients` − 1 distinct clients. n is hidden too: the n of a sub-figure such as dropouts would
 * otherwise tell how many of a handful of clients dropped out. A group with no clients hides no
 * one: it is shown as it is (n 0), so a reader can tell "no data" from "hidden". Hiding alone does
 * not stop subtraction from other figures: report-protection.ts adds complementary suppression.
 */
export function suppressSmallGroups(
  result: Aggregates,
  minClients: number = MIN_CLIENTS_FOR_REPORT,
  options: SuppressOptions = {},
): Aggregates {
  const total = result.clients.total.clients
  const all = total > 0 && total < minClients
  const cells = options.smallCells ?? true
  const hide = (f: ReportFigure): ReportFigure =>
    hiddenAsSmall(f, total, minClients, cells) ? HIDDEN : f
  const group = <K extends string>(
    g: Readonly<Record<K, ReportFigure>>,
  ): Record<K, ReportFigure> => {
    const out: Record<K, ReportFigure> = { ...g }
    for (const key of Object.keys(g) as K[]) out[key] = hide(g[key])
    return out
  }
  return {
    clients: group(result.clients),
    episodes: group(result.episodes),
    collateral: group(result.collateral),
    intakeOutcome: group(result.intakeOutcome),
    intakeSessionRating: hide(result.intakeSessionRating),
    sessionsPerEpisode: hide(result.sessionsPerEpisode),
    episodeLengthDays: hide(result.episodeLengthDays),
    effectSize: group(result.effectSize),
    closedOutcomes: group(result.closedOutcomes),
    endings: group(result.endings),
    unplannedEndings: group(result.unplannedEndings),
    sessionRatingMean: hide(result.sessionRatingMean),
    skippedFeedback: hide(result.skippedFeedback),
    suppressed: all || result.suppressed,
  }
}

/** Whether suppressSmallGroups hides figure `f` of a group resting on `total` distinct clients. */
export function hiddenAsSmall(
  f: ReportFigure,
  total: number,
  minClients: number = MIN_CLIENTS_FOR_REPORT,
  smallCells = true,
): boolean {
  return (
    (total > 0 && total < minClients) || (smallCells && f.clients > 0 && f.clients < minClients)
  )
}
