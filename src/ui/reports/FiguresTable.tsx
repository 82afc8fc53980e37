import { useTranslation } from 'react-i18next'
import type { Aggregates } from '../../core/index.ts'
import { ScrollRegion } from '../shared/ScrollRegion.tsx'
import { FigureCell } from './FigureCell.tsx'
import { KEY_FIGURES } from './key-figures.ts'

export interface FiguresRow {
  key: string
  /** The row's name: a period or a unit, as a reader says it. */
  name: string
  suppressed: boolean
  aggregates: Aggregates
}

/**
 * The key figures, one row per period or unit. Wider than a tablet, it scrolls inside its own
 * box with the row names fixed at the left.
 */
export function FiguresTable({
  label,
  firstHeader,
  rows,
  className,
}: {
  label: string
  firstHeader: string
  rows: readonly FiguresRow[]
  className: string
}) {
  const { t } = useTranslation()
  return (
    <ScrollRegion label={label}>
      <table className={`history figures ${className}`}>
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">{firstHeader}</th>
            {KEY_FIGURES.map(({ key }) => (
              <th key={key} scope="col">
                {t(key)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.name}</th>
              {KEY_FIGURES.map(({ key, pick, kind }) => (
                <FigureCell
                  key={key}
                  figure={pick(r.aggregates)}
                  unit={kind}
                  hidden={r.suppressed}
                />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  )
}
