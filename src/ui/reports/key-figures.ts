// The key figures shown in the report's trend and comparison (tables and charts); every
// aggregate is in the full table.
import type { Aggregates, ReportFigure } from '../../core/index.ts'

export type FigureKind = 'count' | 'mean' | 'percent'

export interface KeyFigure {
  /** i18n key of the figure's name */
  key: string
  pick: (a: Aggregates) => ReportFigure
  kind: FigureKind
}

export const KEY_FIGURES: readonly KeyFigure[] = [
  { key: 'agg.clients.total', pick: (a) => a.clients.total, kind: 'count' },
  { key: 'agg.episodes.total', pick: (a) => a.episodes.total, kind: 'count' },
  { key: 'agg.intakeOutcome.adult', pick: (a) => a.intakeOutcome.adult, kind: 'mean' },
  {
    key: 'agg.closedOutcomes.reachedTarget',
    pick: (a) => a.closedOutcomes.reachedTarget,
    kind: 'percent',
  },
  {
    key: 'agg.closedOutcomes.reliableImprovement',
    pick: (a) => a.closedOutcomes.reliableImprovement,
    kind: 'percent',
  },
  { key: 'agg.endings.unplanned', pick: (a) => a.endings.unplanned, kind: 'percent' },
  { key: 'agg.sessionRatingMean', pick: (a) => a.sessionRatingMean, kind: 'mean' },
]

/** One period (or unit) of a report as the server sends it. */
export interface ReportRow {
  period: string
  n: number
  suppressed: boolean
  aggregates: Aggregates
}

/** The figure's value to show or draw; null when suppressed or not computable. */
export function shownValue(row: { suppressed: boolean }, f: ReportFigure): number | null {
  return row.suppressed || f.suppressed ? null : f.value
}

/**
 * Fewer episodes than this behind an effect size and the figure is flagged as uncertain: the SD of
 * a handful of intake scores swings widely, so "4,91" from six episodes says little. A reading
 * caution shown beside the figure, not a norm that changes any computation.
 */
export const EFFECT_SIZE_SMALL_N = 30
