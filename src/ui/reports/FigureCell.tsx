import { useTranslation } from 'react-i18next'
import type { ReportFigure } from '../../core/index.ts'
import { useFormat } from '../shared/use-format.ts'

export type FigureUnit = 'count' | 'mean' | 'percent' | 'days' | 'es'

/**
 * One figure as the legend explains it: "skjult" when the server hid it (for whatever reason,
 * with no n: the n would tell what was hidden), "–" when there is nothing to compute, else the
 * value with its n.
 */
export function FigureCell({
  figure,
  unit,
  hidden,
  withN = true,
  note,
}: {
  figure: ReportFigure
  unit: FigureUnit
  /** The whole group (row) was hidden. */
  hidden: boolean
  withN?: boolean
  /** A caution read with the value (a small n behind an effect size). */
  note?: string | undefined
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  if (hidden || figure.suppressed) return <td className="is-hidden">{t('reports.hidden')}</td>
  const n = withN && <span className="muted small"> n {figure.n}</span>
  if (figure.value === null) {
    return (
      <td>
        <span aria-hidden="true">–</span>
        <span className="sr-only">{t('reports.noData')}</span>
        {figure.n > 0 && n}
      </td>
    )
  }
  const v = figure.value
  const text =
    unit === 'count'
      ? String(v)
      : unit === 'percent'
        ? `${fmt.score(v)} %`
        : unit === 'es'
          ? fmt.twoDecimals(v)
          : fmt.score(v)
  return (
    <td>
      {text}
      {n}
      {note && <span className="figure-note"> ({note})</span>}
    </td>
  )
}
