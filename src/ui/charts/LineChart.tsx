// One client chart (chart.js on a canvas) with its PNG download; the x axis is the session
// number with the session's date under it, and every marker drawn has its entry in the legend.
import {
  CategoryScale,
  Chart,
  type ChartDataset,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  type Plugin,
  PointElement,
  Tooltip,
} from 'chart.js'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Filler,
  Legend,
  Tooltip,
)

// PNG downloads for the journal need a white background, not a transparent one.
const whiteBackground: Plugin<'line'> = {
  id: 'whiteBackground',
  beforeDraw: (chart) => {
    const { ctx } = chart
    ctx.save()
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, chart.width, chart.height)
    ctx.restore()
  },
}

export type XY = { x: number; y: number }
export type LineDataset = ChartDataset<'line', XY[]>

/** A reference line: drawn as a line in the legend too (with its dash), never as points. */
export function referenceLine(dataset: LineDataset): LineDataset {
  return { pointRadius: 0, pointStyle: 'line', borderWidth: 2, ...dataset }
}

/** Markers only (no line between them), shown in the legend with their own shape and colour. */
export function markers(dataset: LineDataset): LineDataset {
  return {
    // chart.js draws the lowest order on top: markers over the line they sit on.
    order: -1,
    showLine: false,
    pointRadius: 8,
    pointHoverRadius: 9,
    borderWidth: 2,
    pointBorderColor: '#ffffff',
    ...dataset,
  }
}

export function LineChart(props: {
  id: string
  title: string
  datasets: LineDataset[]
  maxY: number
  maxX: number
  /** The date under a session number on the x axis ("12. nov."), or null for a session with no form. */
  dateOf: (session: number) => string | null
  summary: string
  fileStem: string
}) {
  const { t } = useTranslation()
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const chartRef = useRef<Chart<'line', XY[]> | null>(null)
  // What the chart drew, in words, for screen readers: its legend and its x axis.
  const [drawn, setDrawn] = useState({ legend: '', axis: '' })
  const { datasets, maxX, maxY, dateOf } = props
  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    const chart = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets },
      plugins: [whiteBackground],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: {
            type: 'linear',
            min: 1,
            max: maxX,
            ticks: {
              stepSize: 1,
              precision: 0,
              maxRotation: 0,
              callback: (value) => {
                const session = Number(value)
                const date = dateOf(session)
                return date === null ? String(session) : [String(session), date]
              },
            },
            title: { display: true, text: t('charts.sessionAndDate') },
          },
          y: { min: 0, max: maxY, title: { display: true, text: t('charts.total') } },
        },
        plugins: {
          legend: {
            position: 'bottom',
            // In the order the datasets are given, whatever their drawing order.
            labels: {
              usePointStyle: true,
              padding: 14,
              sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
            },
          },
        },
      },
    })
    chartRef.current = chart
    setDrawn({
      legend: (chart.legend?.legendItems ?? []).map((item) => item.text).join(', '),
      axis:
        chart.scales.x?.ticks
          .map((tick) => (Array.isArray(tick.label) ? tick.label.join(' ') : String(tick.label)))
          .join(', ') ?? '',
    })
    return () => chart.destroy()
  }, [datasets, maxX, maxY, dateOf, t])

  return (
    <figure className="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div className="chart-box">
        <canvas
          ref={canvasRef}
          id={props.id}
          role="img"
          aria-label={`${props.title}. ${props.summary}`}
          aria-describedby={`${props.id}-drawn`}
        />
      </div>
      <p id={`${props.id}-drawn`} className="sr-only">
        {t('charts.legend', { items: drawn.legend })} {t('charts.axis', { ticks: drawn.axis })}
      </p>
      <button
        type="button"
        className="no-print"
        onClick={() => {
          const url = canvasRef.current?.toDataURL('image/png')
          if (!url) return
          const a = document.createElement('a')
          a.href = url
          a.download = `${props.fileStem}-${new Date().toISOString().slice(0, 10)}.png`
          a.click()
        }}
      >
        {t('charts.png')}
      </button>
    </figure>
  )
}
