import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { getInstrument, type OutcomeChart } from '../../core/index.ts'
import { useFormat } from '../shared/use-format.ts'
import { LineChart, type LineDataset, markers, referenceLine } from './LineChart.tsx'
import { TableToggle } from './TableToggle.tsx'

const IMPROVED = '#1f7a3a'
const WORSENED = '#b42318'
const ITEM_COLOURS = ['#7c3aed', '#0891b2', '#ca8a04', '#db2777']

/** The ORS (or CORS) chart: the client's totals against the cut-off, target and at-risk lines. */
export function OutcomeChartSection(props: {
  outcome: OutcomeChart
  lastSession: number
  dateOf: (session: number) => string | null
}) {
  const { outcome, lastSession, dateOf } = props
  const { t, i18n } = useTranslation()
  const fmt = useFormat()
  const [showItems, setShowItems] = useState(false)

  const datasets = useMemo(() => {
    const sets: LineDataset[] = [
      {
        label: t('charts.total'),
        data: outcome.points.map((p) => ({ x: p.session, y: p.total })),
        borderColor: '#1f4e5f',
        backgroundColor: '#1f4e5f',
        pointStyle: 'circle',
        pointRadius: 5,
        borderWidth: 3,
      },
    ]
    // Reliable change as markers of their own, so the legend says what a diamond means.
    for (const [kind, colour, label] of [
      ['reliable-improvement', IMPROVED, t('charts.improvement')],
      ['reliable-deterioration', WORSENED, t('charts.deterioration')],
    ] as const) {
      const sessions = new Set(
        outcome.reliableChange.filter((m) => m.kind === kind).map((m) => m.session),
      )
      if (sessions.size === 0) continue
      sets.push(
        markers({
          label,
          data: outcome.points
            .filter((p) => sessions.has(p.session))
            .map((p) => ({ x: p.session, y: p.total })),
          pointStyle: 'rectRot',
          backgroundColor: colour,
          borderColor: colour,
          pointBackgroundColor: colour,
        }),
      )
    }
    if (outcome.target.length > 0) {
      sets.push(
        referenceLine({
          label: t('charts.target'),
          data: outcome.target.map((p) => ({ x: p.session, y: p.value })),
          borderColor: '#1f7a3a',
          borderDash: [6, 4],
          fill: '+1',
          backgroundColor: 'rgba(240, 180, 60, 0.12)',
        }),
        referenceLine({
          label: t('charts.atRisk'),
          data: outcome.atRisk.map((p) => ({ x: p.session, y: p.value })),
          borderColor: '#b45309',
          borderDash: [2, 4],
        }),
      )
    }
    if (outcome.cutoff !== null) {
      sets.push(
        referenceLine({
          label: t('charts.cutoff', { value: fmt.score(outcome.cutoff) }),
          data: [
            { x: 1, y: outcome.cutoff },
            { x: lastSession, y: outcome.cutoff },
          ],
          borderColor: '#6b7280',
        }),
      )
    }
    const first = outcome.points[0]
    if (showItems && first) {
      const language = i18n.language === 'en' ? 'en' : i18n.language === 'nn' ? 'nn' : 'nb'
      getInstrument(first.instrumentId).items.forEach((item, i) => {
        sets.push({
          label: item.label[language] ?? item.label.nb,
          data: outcome.points.map((p) => ({ x: p.session, y: p.items[item.id] ?? 0 })),
          borderColor: ITEM_COLOURS[i % ITEM_COLOURS.length],
          backgroundColor: ITEM_COLOURS[i % ITEM_COLOURS.length],
          pointRadius: 3,
          borderWidth: 1.5,
        })
      })
    }
    return sets
  }, [outcome, showItems, lastSession, t, fmt, i18n.language])

  const last = outcome.points.at(-1)
  return (
    <section aria-label={t('charts.outcomeTitle')}>
      <LineChart
        id="chart-outcome"
        title={t('charts.outcomeTitle')}
        datasets={datasets}
        maxY={40}
        maxX={lastSession}
        dateOf={dateOf}
        fileStem="linja-ors"
        summary={t('charts.summary', {
          count: outcome.points.length,
          last: last ? fmt.score(last.total) : '–',
          cutoff: outcome.cutoff === null ? '–' : fmt.score(outcome.cutoff),
        })}
      />
      <label className="choice no-print">
        <input
          type="checkbox"
          checked={showItems}
          onChange={(e) => setShowItems(e.target.checked)}
        />
        <span>{t('charts.showItems')}</span>
      </label>
      <TableToggle>
        <table>
          <caption className="sr-only">{t('charts.outcomeTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('charts.session')}</th>
              <th scope="col">{t('charts.date')}</th>
              <th scope="col">{t('charts.total')}</th>
              <th scope="col">{t('charts.target')}</th>
              <th scope="col">{t('charts.atRisk')}</th>
              <th scope="col">{t('charts.cutoff', { value: '' }).replace(/\s*\(\)$/, '')}</th>
            </tr>
          </thead>
          <tbody>
            {outcome.points.map((p) => {
              const target = outcome.target.find((x) => x.session === p.session)
              const risk = outcome.atRisk.find((x) => x.session === p.session)
              const mark = outcome.reliableChange.find((m) => m.session === p.session)
              return (
                <tr key={p.id}>
                  <td>{p.session}</td>
                  <td>{fmt.date(p.markedAt)}</td>
                  <td>
                    {fmt.score(p.total)}
                    {mark
                      ? ` (${mark.kind === 'reliable-improvement' ? t('charts.improvement') : t('charts.deterioration')})`
                      : ''}
                  </td>
                  <td>{target ? fmt.score(target.value) : '–'}</td>
                  <td>{risk ? fmt.score(risk.value) : '–'}</td>
                  <td>{outcome.cutoff === null ? '–' : fmt.score(outcome.cutoff)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </TableToggle>
    </section>
  )
}
