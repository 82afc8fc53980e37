import { useTranslation } from 'react-i18next'
import type { Aggregates, ReportFigure } from '../../core/index.ts'
import { FigureCell, type FigureUnit as Unit } from './FigureCell.tsx'
import { EFFECT_SIZE_SMALL_N } from './key-figures.ts'

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

/** Aggregates with n beside every figure; hidden figures say so instead of a number (and n). */
export function AggregatesTable({
  aggregates,
  caption,
}: {
  aggregates: Aggregates
  caption: string
}) {
  const { t } = useTranslation()
  const uncertain = (f: ReportFigure, unit: Unit) =>
    unit === 'es' && f.value !== null && !f.suppressed && f.n < EFFECT_SIZE_SMALL_N
  const smallEffect = ROWS.some(([group, sub, unit]) => {
    const f = figureOf(aggregates, group, sub)
    return f !== null && uncertain(f, unit)
  })
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
                <FigureCell
                  figure={f}
                  unit={unit}
                  hidden={aggregates.suppressed}
                  withN={false}
                  note={uncertain(f, unit) ? t('agg.smallN') : undefined}
                />
                <td>{f.suppressed || aggregates.suppressed ? '' : f.n}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {smallEffect && <p className="notice">{t('agg.smallNNote', { min: EFFECT_SIZE_SMALL_N })}</p>}
    </div>
  )
}
