import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionChart } from '../../core/index.ts'
import { useFormat } from '../shared/use-format.ts'
import { LineChart, type LineDataset, markers, referenceLine } from './LineChart.tsx'
import { TableToggle } from './TableToggle.tsx'

const LINE = '#6d28d9'
const FLAGGED = '#b42318'

/** The SRS chart: session ratings against the alliance cut-off, flagged ratings marked. */
export function SessionChartSection(props: {
  session: SessionChart
  lastSession: number
  dateOf: (session: number) => string | null
}) {
  const { session, lastSession, dateOf } = props
  const { t } = useTranslation()
  const fmt = useFormat()

  const datasets = useMemo(() => {
    const sets: LineDataset[] = [
      {
        label: t('charts.total'),
        data: session.points.map((p) => ({ x: p.session, y: p.total })),
        borderColor: LINE,
        backgroundColor: LINE,
        pointStyle: 'circle',
        pointRadius: 5,
        borderWidth: 3,
      },
    ]
    const flagged = session.points.filter((p) => p.flags.length > 0)
    if (flagged.length > 0) {
      sets.push(
        markers({
          label: t('charts.allianceFlag'),
          data: flagged.map((p) => ({ x: p.session, y: p.total })),
          pointStyle: 'triangle',
          backgroundColor: FLAGGED,
          borderColor: FLAGGED,
          pointBackgroundColor: FLAGGED,
        }),
      )
    }
    if (session.cutoff !== null) {
      sets.push(
        referenceLine({
          label: t('charts.cutoff', { value: fmt.score(session.cutoff) }),
          data: [
            { x: 1, y: session.cutoff },
            { x: lastSession, y: session.cutoff },
          ],
          borderColor: '#6b7280',
        }),
      )
    }
    return sets
  }, [session, lastSession, t, fmt])

  const last = session.points.at(-1)
  return (
    <section aria-label={t('charts.sessionTitle')}>
      <LineChart
        id="chart-session"
        title={t('charts.sessionTitle')}
        datasets={datasets}
        maxY={40}
        maxX={lastSession}
        dateOf={dateOf}
        fileStem="linja-srs"
        summary={t('charts.summary', {
          count: session.points.length,
          last: last ? fmt.score(last.total) : '–',
          cutoff: session.cutoff === null ? '–' : fmt.score(session.cutoff),
        })}
      />
      <TableToggle>
        <table>
          <caption className="sr-only">{t('charts.sessionTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('charts.session')}</th>
              <th scope="col">{t('charts.date')}</th>
              <th scope="col">{t('charts.total')}</th>
              <th scope="col">{t('charts.flags')}</th>
            </tr>
          </thead>
          <tbody>
            {session.points.map((p) => (
              <tr key={p.id}>
                <td>{p.session}</td>
                <td>{fmt.date(p.markedAt)}</td>
                <td>{fmt.score(p.total)}</td>
                <td>{p.flags.map((f) => t(`charts.flag.${f.kind}`)).join(', ') || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableToggle>
    </section>
  )
}
