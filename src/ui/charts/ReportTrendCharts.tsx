// Loaded lazily: pulls in chart.js. The report's key figures over periods, one chart for the
// shares (per cent) and one for the means (0–40); a suppressed period is a gap, never a number.
import {
  CategoryScale,
  Chart,
  type ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js'
import { useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { KEY_FIGURES, type ReportRow, shownValue } from '../reports/key-figures.ts'
import { usePeriodName } from '../reports/use-period-name.ts'
import { useFormat } from '../shared/use-format.ts'

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
)

// Distinguishable in colour and in dash pattern (not colour alone).
const STYLES = [
  { colour: '#1f5f99', dash: [] },
  { colour: '#b5561b', dash: [6, 4] },
  { colour: '#2e7d32', dash: [2, 3] },
]

function TrendChart({
  id,
  title,
  rows,
  kind,
  max,
}: {
  id: string
  title: string
  rows: ReportRow[]
  kind: 'mean' | 'percent'
  max: number
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const figures = useMemo(() => KEY_FIGURES.filter((f) => f.kind === kind), [kind])
  const periodName = usePeriodName()
  const labels = useMemo(
    () => rows.map((r) => [periodName(r.period), `n ${r.n}`]),
    [rows, periodName],
  )
  const summary = figures
    .map(
      (f) =>
        `${t(f.key)}: ${rows
          .map((r) => {
            const fig = f.pick(r.aggregates)
            const v = shownValue(r, fig)
            const hidden = r.suppressed || fig.suppressed === true
            const text = hidden
              ? t('reports.hidden')
              : v === null
                ? t('reports.noData')
                : fmt.score(v)
            return `${periodName(r.period)} ${text}${kind === 'percent' && v !== null ? ' %' : ''} (n ${fig.n})`
          })
          .join(', ')}`,
    )
    .join('. ')

  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    const datasets: ChartDataset<'line', (number | null)[]>[] = figures.map((f, i) => {
      const style = STYLES[i % STYLES.length] ?? STYLES[0]
      return {
        label: t(f.key),
        data: rows.map((r) => shownValue(r, f.pick(r.aggregates))),
        borderColor: style?.colour,
        backgroundColor: style?.colour,
        borderDash: style?.dash,
        spanGaps: false,
        pointRadius: 4,
      }
    })
    const chart = new Chart<'line', (number | null)[], string[]>(canvas, {
      type: 'line',
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: { min: 0, max, title: { display: true, text: kind === 'percent' ? '%' : '0–40' } },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              // n beside the figure in the tooltip, as in the tables.
              label: (item) => {
                const row = rows[item.dataIndex]
                const f = figures[item.datasetIndex]
                const n = row && f ? f.pick(row.aggregates).n : 0
                return `${item.dataset.label ?? ''}: ${item.formattedValue} (n ${n})`
              },
            },
          },
        },
      },
    })
    return () => chart.destroy()
  }, [figures, labels, rows, kind, max, t])

  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvasRef} id={id} role="img" aria-label={`${title}. ${summary}`} />
      </div>
    </figure>
  )
}

export default function ReportTrendCharts({ rows }: { rows: ReportRow[] }) {
  const { t } = useTranslation()
  if (rows.length === 0) return null
  return (
    <div className="chart-grid">
      <TrendChart
        id="trend-percent"
        title={t('reports.chartPercent')}
        rows={rows}
        kind="percent"
        max={100}
      />
      <TrendChart id="trend-mean" title={t('reports.chartMean')} rows={rows} kind="mean" max={40} />
    </div>
  )
}
