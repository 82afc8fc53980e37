import { useTranslation } from 'react-i18next'
import type { Aggregates, ReportFigure } from '../../core/index.ts'
import { useFormat } from '../shared/use-format.ts'

type Unit = 'count' | 'mean' | 'percent' | 'days' | 'es'

/** Every aggregate from the core, in a fixed order, each with its unit. */
const ROWS: readonly [keyof Aggregates, string | null, Unit][] = [
  ['clients', 'total', 'count'],
  ['clients', 'adult', 'count'],
  ['clients', 'adolescent', 'count'],
  ['clients', 'child', 'count'],
  ['clients', 'young', 'count'],
  ['episodes', 'total', 'count'],
  ['episodes', 'closed', 'count'],
  ['collateral', 'administrations', 'count'],
  ['collateral', 'episodes', 'count'],
  ['intakeOutcome', 'adult', 'mean'],
  ['intakeOutcome', 'adolescent', 'mean'],
  ['intakeOutcome', 'child', 'mean'],
  ['intakeSessionRating', null, 'mean'],
  ['sessionsPerEpisode', null, 'mean'],
  ['episodeLengthDays', null, 'days'],
  ['effectSize', 'prePost', 'es'],
  ['effectSize', 'severityAdjusted', 'es'],
  ['closedOutcomes', 'reachedTarget', 'percent'],
  ['closedOutcomes', 'reliableImprovement', 'percent'],
  ['closedOutcomes', 'reliableDeterioration', 'percent'],
  ['closedOutcomes', 'clinicallySignificant', 'percent'],
  ['endings', 'planned', 'percent'],
  ['endings', 'unplanned', 'percent'],
  ['endings', 'referred', 'percent'],
  ['endings', 'other', 'percent'],
  ['unplannedEndings', 'green', 'percent'],
  ['unplannedEndings', 'notGreen', 'percent'],
  ['sessionRatingMean', null, 'mean'],
  ['skippedFeedback', null, 'percent'],
]

function figureOf(
  aggregates: Aggregates,
  group: keyof Aggregates,
  sub: string | null,
): ReportFigure | null {
  const value = aggregates[group] as unknown
  if (value === null || typeof value !== 'object') return null
  const figure = sub === null ? value : (value as Record<string, unknown>)[sub]
  return figure && typeof figure === 'object' && 'n' in figure ? (figure as ReportFigure) : null
}

/** Aggregates with n beside every figure; suppressed figures say so instead of a number. */
export function AggregatesTable({
  aggregates,
  caption,
}: {
  aggregates: Aggregates
  caption: string
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const show = (f: ReportFigure, unit: Unit) => {
    if (f.value === null) return f.n === 0 && aggregates.suppressed ? t('agg.suppressed') : '–'
    if (unit === 'count') return String(f.value)
    if (unit === 'percent') return `${fmt.score(f.value)} %`
    if (unit === 'es') return fmt.twoDecimals(f.value)
    return fmt.score(f.value)
  }
  return (
    <div className="table-wrap">
      <table className="history aggregates">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('agg.figure')}</th>
            <th scope="col">{t('agg.value')}</th>
            <th scope="col">n</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([group, sub, unit]) => {
            const f = figureOf(aggregates, group, sub)
            if (!f) return null
            return (
              <tr key={`${group}.${sub ?? ''}`}>
                <th scope="row">{t(`agg.${group}${sub ? `.${sub}` : ''}`)}</th>
                <td>
                  {f.suppressed || (aggregates.suppressed && f.value === null)
                    ? t('agg.suppressed')
                    : show(f, unit)}
                </td>
                <td>{f.n}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
