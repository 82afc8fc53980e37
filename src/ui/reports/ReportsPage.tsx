import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Aggregates, ReportFigure } from '../../core/index.ts'
import { apiJson, apiText } from '../../state/online-api.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { isSyncHttpError } from '../../sync/index.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { ScrollRegion } from '../shared/ScrollRegion.tsx'
import { useFormat } from '../shared/use-format.ts'
import { AggregatesTable } from './AggregatesTable.tsx'

type PeriodKind = 'month' | 'quarter' | 'year'
interface Row {
  period: string
  n: number
  suppressed: boolean
  aggregates: Aggregates
}
interface CompareRow {
  unitId: string | null
  unitName: string
  n: number
  suppressed: boolean
  aggregates: Aggregates
}

/** Key figures for the trend and comparison tables; every figure is in the full table below. */
const KEY_FIGURES: readonly [
  string,
  (a: Aggregates) => ReportFigure,
  'count' | 'mean' | 'percent',
][] = [
  ['agg.clients.total', (a) => a.clients.total, 'count'],
  ['agg.episodes.total', (a) => a.episodes.total, 'count'],
  ['agg.intakeOutcome.adult', (a) => a.intakeOutcome.adult, 'mean'],
  ['agg.closedOutcomes.reachedTarget', (a) => a.closedOutcomes.reachedTarget, 'percent'],
  [
    'agg.closedOutcomes.reliableImprovement',
    (a) => a.closedOutcomes.reliableImprovement,
    'percent',
  ],
  ['agg.endings.unplanned', (a) => a.endings.unplanned, 'percent'],
  ['agg.sessionRatingMean', (a) => a.sessionRatingMean, 'mean'],
]

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Reports for leaders (their units) and the administrator (all units and the organisation). */
export function ReportsPage() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const person = useSyncStore((s) => s.person)
  const allowed = person?.roles.some((r) => r === 'leader' || r === 'admin') === true
  const [period, setPeriod] = useState<PeriodKind>('quarter')
  const [from, setFrom] = useState(() =>
    new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10),
  )
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10))
  const [units, setUnits] = useState<CompareRow[]>([])
  const [unitId, setUnitId] = useState<string>('')
  const [rows, setRows] = useState<Row[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const fail = useCallback(
    (err: unknown) => setError(syncErrorText(isSyncHttpError(err) ? err.code : undefined, t)),
    [t],
  )
  const query = () =>
    `period=${period}&from=${from}&to=${to}${unitId ? `&unitId=${encodeURIComponent(unitId)}` : ''}`

  useEffect(() => {
    if (!allowed) return
    apiJson<{ rows: CompareRow[] }>(`/api/reports/compare?period=${period}&at=${to}`).then((c) => {
      setUnits(c.rows)
      setError(null)
    }, fail)
  }, [allowed, period, to, fail])

  if (!allowed) {
    return (
      <section className="panel">
        <h1>{t('reports.title')}</h1>
        <p>{t('reports.notAllowed')}</p>
      </section>
    )
  }
  const isAdmin = person?.roles.includes('admin') === true
  const unitChoices = units.filter((u) => u.unitId !== null)
  const value = (f: ReportFigure, kind: 'count' | 'mean' | 'percent', suppressed: boolean) =>
    suppressed || f.suppressed
      ? t('agg.suppressed')
      : f.value === null
        ? '–'
        : kind === 'count'
          ? String(f.value)
          : kind === 'percent'
            ? `${fmt.score(f.value)} %`
            : fmt.score(f.value)

  return (
    <section className="panel" aria-labelledby="reports-title">
      <h1 id="reports-title">{t('reports.title')}</h1>
      <p className="muted">{t('reports.help')}</p>
      <div className="row">
        <label className="field">
          <span>{t('reports.unit')}</span>
          <select value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            {isAdmin && <option value="">{t('reports.organisation')}</option>}
            {!isAdmin && unitId === '' && <option value="">{t('reports.chooseUnit')}</option>}
            {unitChoices.map((u) => (
              <option key={u.unitId} value={u.unitId ?? ''}>
                {u.unitName}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('reports.period')}</span>
          <select value={period} onChange={(e) => setPeriod(e.target.value as PeriodKind)}>
            {(['month', 'quarter', 'year'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`reports.periods.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('supervision.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('supervision.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button
          type="button"
          className="primary"
          disabled={!isAdmin && unitId === ''}
          onClick={() => {
            setError(null)
            apiJson<{ rows: Row[] }>(`/api/reports?${query()}`).then((r) => setRows(r.rows), fail)
          }}
        >
          {t('reports.show')}
        </button>
        <button
          type="button"
          disabled={!isAdmin && unitId === ''}
          onClick={() => {
            apiText(`/api/reports.csv?${query()}`).then(
              (csv) => download(`linja-rapport-${to}.csv`, csv),
              fail,
            )
          }}
        >
          {t('reports.csv')}
        </button>
      </div>
      <ErrorText message={error} />

      {rows && (
        <>
          <h2>{t('reports.trend')}</h2>
          <ScrollRegion label={t('reports.trend')}>
            <table className="history trend">
              <caption className="sr-only">{t('reports.trend')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reports.period')}</th>
                  {KEY_FIGURES.map(([key]) => (
                    <th key={key} scope="col">
                      {t(key)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.period}>
                    <th scope="row">{r.period}</th>
                    {KEY_FIGURES.map(([key, pick, kind]) => {
                      const f = pick(r.aggregates)
                      return (
                        <td key={key}>
                          {value(f, kind, r.suppressed)}{' '}
                          <span className="muted small">n {f.n}</span>
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {rows.at(-1) && (
            <AggregatesTable
              aggregates={(rows.at(-1) as Row).aggregates}
              caption={t('reports.latest', { period: (rows.at(-1) as Row).period })}
            />
          )}
        </>
      )}

      <h2>{t('reports.compare', { at: fmt.date(to) })}</h2>
      <ScrollRegion label={t('reports.compare', { at: fmt.date(to) })}>
        <table className="history compare">
          <caption className="sr-only">{t('reports.compare', { at: fmt.date(to) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.unit')}</th>
              {KEY_FIGURES.map(([key]) => (
                <th key={key} scope="col">
                  {t(key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {units.map((u) => (
              <tr key={u.unitId ?? 'org'}>
                <th scope="row">{u.unitName}</th>
                {KEY_FIGURES.map(([key, pick, kind]) => {
                  const f = pick(u.aggregates)
                  return (
                    <td key={key}>
                      {value(f, kind, u.suppressed)} <span className="muted small">n {f.n}</span>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  )
}
