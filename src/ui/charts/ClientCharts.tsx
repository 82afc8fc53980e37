// Loaded lazily: this module pulls in chart.js, which client mode never needs.
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
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type AgeGroup,
  type EpisodeRecord,
  getInstrument,
  outcomeChart,
  sessionChart,
} from '../../core/index.ts'
import { settingsFor, useOrgSettingsStore } from '../../state/org-settings-store.ts'
import { useFormat } from '../shared/use-format.ts'

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

type XY = { x: number; y: number }

function LineChart(props: {
  id: string
  title: string
  datasets: ChartDataset<'line', XY[]>[]
  maxY: number
  maxX: number
  summary: string
  fileStem: string
}) {
  const { t } = useTranslation()
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const chartRef = useRef<Chart<'line', XY[]> | null>(null)
  useEffect(() => {
    const canvas = canvasRef.current
    if (!canvas) return
    chartRef.current = new Chart<'line', XY[]>(canvas, {
      type: 'line',
      data: { datasets: props.datasets },
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
            max: props.maxX,
            ticks: { stepSize: 1, precision: 0 },
            title: { display: true, text: t('charts.session') },
          },
          y: { min: 0, max: props.maxY, title: { display: true, text: t('charts.total') } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    })
    return () => chartRef.current?.destroy()
  }, [props.datasets, props.maxX, props.maxY, t])

  return (
    <figure className="chart" aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div className="chart-box">
        <canvas
          ref={canvasRef}
          id={props.id}
          role="img"
          aria-label={`${props.title}. ${props.summary}`}
        />
      </div>
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

export default function ClientCharts({
  episode,
  ageGroup,
}: {
  episode: EpisodeRecord
  ageGroup: AgeGroup
  code: string
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [showItems, setShowItems] = useState(false)
  const org = useOrgSettingsStore((s) => s.settings)
  const settings = useMemo(() => settingsFor(org), [org])
  const outcome = useMemo(
    () => outcomeChart(episode, ageGroup, settings),
    [episode, ageGroup, settings],
  )
  const session = useMemo(() => sessionChart(episode, settings), [episode, settings])
  const lastSession = Math.max(
    outcome.target.at(-1)?.session ?? 1,
    outcome.points.at(-1)?.session ?? 1,
    session.points.at(-1)?.session ?? 1,
  )

  const outcomeSets = useMemo(() => {
    const sets: ChartDataset<'line', XY[]>[] = []
    const pointColours = outcome.points.map((p) => {
      const mark = outcome.reliableChange.find((m) => m.session === p.session)
      return mark?.kind === 'reliable-deterioration' ? '#b42318' : mark ? '#1f7a3a' : '#1f4e5f'
    })
    sets.push({
      label: t('charts.total'),
      data: outcome.points.map((p) => ({ x: p.session, y: p.total })),
      borderColor: '#1f4e5f',
      backgroundColor: pointColours,
      pointBackgroundColor: pointColours,
      pointRadius: outcome.points.map((p) =>
        outcome.reliableChange.some((m) => m.session === p.session) ? 8 : 5,
      ),
      pointStyle: outcome.points.map((p) =>
        outcome.reliableChange.some((m) => m.session === p.session) ? 'rectRot' : 'circle',
      ),
      borderWidth: 3,
    })
    if (outcome.target.length > 0) {
      sets.push({
        label: t('charts.target'),
        data: outcome.target.map((p) => ({ x: p.session, y: p.value })),
        borderColor: '#1f7a3a',
        borderDash: [6, 4],
        pointRadius: 0,
        borderWidth: 2,
        fill: '+1',
        backgroundColor: 'rgba(240, 180, 60, 0.12)',
      })
      sets.push({
        label: t('charts.atRisk'),
        data: outcome.atRisk.map((p) => ({ x: p.session, y: p.value })),
        borderColor: '#b45309',
        borderDash: [2, 4],
        pointRadius: 0,
        borderWidth: 2,
      })
    }
    if (outcome.cutoff !== null) {
      sets.push({
        label: t('charts.cutoff', { value: fmt.score(outcome.cutoff) }),
        data: [
          { x: 1, y: outcome.cutoff },
          { x: lastSession, y: outcome.cutoff },
        ],
        borderColor: '#6b7280',
        pointRadius: 0,
        borderWidth: 2,
      })
    }
    if (showItems && outcome.points[0]) {
      const instrument = getInstrument(outcome.points[0].instrumentId)
      const colours = ['#7c3aed', '#0891b2', '#ca8a04', '#db2777']
      instrument.items.forEach((item, i) => {
        sets.push({
          label: item.label.nb,
          data: outcome.points.map((p) => ({ x: p.session, y: p.items[item.id] ?? 0 })),
          borderColor: colours[i % colours.length],
          pointRadius: 3,
          borderWidth: 1.5,
        })
      })
    }
    return sets
  }, [outcome, showItems, lastSession, t, fmt])

  const sessionSets = useMemo(() => {
    const sets: ChartDataset<'line', XY[]>[] = [
      {
        label: t('charts.total'),
        data: session.points.map((p) => ({ x: p.session, y: p.total })),
        borderColor: '#6d28d9',
        pointBackgroundColor: session.points.map((p) =>
          p.flags.length > 0 ? '#b42318' : '#6d28d9',
        ),
        pointRadius: session.points.map((p) => (p.flags.length > 0 ? 8 : 5)),
        borderWidth: 3,
      },
    ]
    if (session.cutoff !== null) {
      sets.push({
        label: t('charts.cutoff', { value: fmt.score(session.cutoff) }),
        data: [
          { x: 1, y: session.cutoff },
          { x: lastSession, y: session.cutoff },
        ],
        borderColor: '#6b7280',
        pointRadius: 0,
        borderWidth: 2,
      })
    }
    return sets
  }, [session, lastSession, t, fmt])

  if (outcome.points.length === 0 && session.points.length === 0) {
    return <p className="muted">{t('charts.none')}</p>
  }
  const lastOutcome = outcome.points.at(-1)
  const lastSrs = session.points.at(-1)
  return (
    <div className="charts">
      {outcome.points.length > 0 && (
        <section aria-label={t('charts.outcomeTitle')}>
          <LineChart
            id="chart-outcome"
            title={t('charts.outcomeTitle')}
            datasets={outcomeSets}
            maxY={40}
            maxX={lastSession}
            fileStem="linja-ors"
            summary={t('charts.summary', {
              count: outcome.points.length,
              last: lastOutcome ? fmt.score(lastOutcome.total) : '–',
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
          <details className="chart-table">
            <summary>{t('charts.asTable')}</summary>
            <table>
              <caption className="sr-only">{t('charts.outcomeTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('charts.session')}</th>
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
          </details>
        </section>
      )}
      {session.points.length > 0 && (
        <section aria-label={t('charts.sessionTitle')}>
          <LineChart
            id="chart-session"
            title={t('charts.sessionTitle')}
            datasets={sessionSets}
            maxY={40}
            maxX={lastSession}
            fileStem="linja-srs"
            summary={t('charts.summary', {
              count: session.points.length,
              last: lastSrs ? fmt.score(lastSrs.total) : '–',
              cutoff: session.cutoff === null ? '–' : fmt.score(session.cutoff),
            })}
          />
          <details className="chart-table">
            <summary>{t('charts.asTable')}</summary>
            <table>
              <caption className="sr-only">{t('charts.sessionTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('charts.session')}</th>
                  <th scope="col">{t('charts.total')}</th>
                  <th scope="col">{t('charts.flags')}</th>
                </tr>
              </thead>
              <tbody>
                {session.points.map((p) => (
                  <tr key={p.id}>
                    <td>{p.session}</td>
                    <td>{fmt.score(p.total)}</td>
                    <td>{p.flags.map((f) => t(`charts.flag.${f.kind}`)).join(', ') || '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </section>
      )}
      <button type="button" className="no-print" onClick={() => window.print()}>
        {t('charts.print')}
      </button>
    </div>
  )
}
