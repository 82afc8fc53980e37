import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Aggregates } from '../../core/index.ts'
import { isSyncHttpError, NETWORK_ERROR } from '../../state/errors.ts'
import { type Fetched, fetchKeepingCopy } from '../../state/fetched-copy.ts'
import { apiJson, apiText } from '../../state/online-api.ts'
import { useSyncStore } from '../../state/sync-store.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { downloadText } from '../shared/download.ts'
import { ErrorBoundary } from '../shared/ErrorBoundary.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'
import { AggregatesTable } from './AggregatesTable.tsx'
import { FigureLegend } from './FigureLegend.tsx'
import { FiguresTable } from './FiguresTable.tsx'
import type { ReportRow } from './key-figures.ts'
import { StaffAccess } from './StaffAccess.tsx'
import { usePeriodName } from './use-period-name.ts'

type PeriodKind = 'month' | 'quarter' | 'year'
interface CompareRow {
  unitId: string | null
  unitName: string
  n: number
  suppressed: boolean
  aggregates: Aggregates
}
interface Params {
  period: PeriodKind
  from: string
  to: string
  unitId: string
}
/** What the screen shows, kept as the last copy for offline use. */
interface ReportView {
  params: Params
  rows: ReportRow[] | null
  units: CompareRow[]
}

const isReportView = (v: unknown): v is ReportView =>
  v !== null &&
  typeof v === 'object' &&
  'params' in v &&
  Array.isArray((v as { units?: unknown }).units)

const queryOf = (p: Params) =>
  `period=${p.period}&from=${p.from}&to=${p.to}${p.unitId ? `&unitId=${encodeURIComponent(p.unitId)}` : ''}`

// chart.js only when a report with periods is shown.
const ReportTrendCharts = lazy(() => import('../charts/ReportTrendCharts.tsx'))

/** Reports for leaders (their units) and the administrator (all units and the organisation). */
export function ReportsPage() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const periodName = usePeriodName()
  const person = useSyncStore((s) => s.person)
  const allowed = person?.roles.some((r) => r === 'leader' || r === 'admin') === true
  const isAdmin = person?.roles.includes('admin') === true
  const [params, setParams] = useState<Params>(() => ({
    period: 'quarter',
    from: new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10),
    to: new Date().toISOString().slice(0, 10),
    unitId: '',
  }))
  const [view, setView] = useState<Fetched<ReportView> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  // Only the latest request's answer is shown: an earlier one arriving late (the default period's,
  // after the period was changed) would otherwise replace the figures asked for.
  const latest = useRef(0)
  const load = useCallback(
    async (p: Params, withRows: boolean) => {
      const request = ++latest.current
      setError(null)
      setLoading(true)
      try {
        const got = await fetchKeepingCopy(
          'reports',
          async () => {
            const [compare, report] = await Promise.all([
              apiJson<{ rows: CompareRow[] }>(`/api/reports/compare?period=${p.period}&at=${p.to}`),
              withRows
                ? apiJson<{ rows: ReportRow[] }>(`/api/reports?${queryOf(p)}`)
                : Promise.resolve(null),
            ])
            return { params: p, rows: report?.rows ?? null, units: compare.rows }
          },
          isReportView,
        )
        if (request !== latest.current) return
        setView(got)
        // Offline, the copy's own choices are shown with it.
        if (got.fromCopy) setParams(got.value.params)
      } catch (err) {
        if (request !== latest.current) return
        setError(
          isSyncHttpError(err) && err.code === NETWORK_ERROR
            ? t('copy.none')
            : syncErrorText(err, t),
        )
      } finally {
        if (request === latest.current) setLoading(false)
      }
    },
    [t],
  )

  // The organisation's report for the administrator at once; a leader first chooses a unit.
  // A new period kind or end date updates the comparison (and the report, when one is shown).
  // biome-ignore lint/correctness/useExhaustiveDependencies: not on every change of the form
  useEffect(() => {
    if (allowed) void load(params, isAdmin || params.unitId !== '')
  }, [allowed, isAdmin, load, params.period, params.to])

  if (!allowed) {
    return (
      <section className="panel">
        <h1>{t('reports.title')}</h1>
        <p>{t('reports.notAllowed')}</p>
      </section>
    )
  }
  const units = view?.value.units ?? []
  const rows = view?.value.rows ?? null
  const unitChoices = units.filter((u) => u.unitId !== null)
  const set = (change: Partial<Params>) => setParams({ ...params, ...change })
  // The organisation's own row comes without a unit: named in the reader's language.
  const unitName = (u: CompareRow) => (u.unitId === null ? t('reports.organisation') : u.unitName)
  const needsUnit = !isAdmin && params.unitId === ''
  const compareLabel = t('reports.compare', { at: fmt.date(params.to) })
  return (
    <section className="panel" aria-labelledby="reports-title">
      <h1 id="reports-title">{t('reports.title')}</h1>
      <p className="muted">{t('reports.help')}</p>
      <div className="row">
        <label className="field">
          <span>{t('reports.unit')}</span>
          <select value={params.unitId} onChange={(e) => set({ unitId: e.target.value })}>
            {isAdmin && <option value="">{t('reports.organisation')}</option>}
            {!isAdmin && params.unitId === '' && (
              <option value="">{t('reports.chooseUnit')}</option>
            )}
            {unitChoices.map((u) => (
              <option key={u.unitId} value={u.unitId ?? ''}>
                {u.unitName}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('reports.period')}</span>
          <select
            value={params.period}
            onChange={(e) => set({ period: e.target.value as PeriodKind })}
          >
            {(['month', 'quarter', 'year'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`reports.periods.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('supervision.from')}</span>
          <input type="date" value={params.from} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label className="field">
          <span>{t('supervision.to')}</span>
          <input type="date" value={params.to} onChange={(e) => set({ to: e.target.value })} />
        </label>
        <button
          type="button"
          className="primary"
          disabled={loading || needsUnit}
          aria-describedby={needsUnit ? 'report-needs' : undefined}
          onClick={() => {
            if (params.from > params.to) return setError(t('reports.datesOrder'))
            void load(params, true)
          }}
        >
          {t('reports.show')}
        </button>
        <button
          type="button"
          disabled={needsUnit}
          aria-describedby={needsUnit ? 'report-needs' : undefined}
          onClick={() => {
            setError(null)
            apiText(`/api/reports.csv?${queryOf(params)}`).then(
              (csv) =>
                downloadText(`linja-rapport-${params.to}.csv`, 'text/csv;charset=utf-8', csv),
              (err: unknown) => setError(syncErrorText(err, t)),
            )
          }}
        >
          {t('reports.csv')}
        </button>
      </div>
      {needsUnit && (
        <p id="report-needs" className="muted">
          {t('reports.needsUnit')}
        </p>
      )}
      {view?.fromCopy && (
        <p className="notice" role="status">
          {t('copy.offline', { time: fmt.dateTime(view.fetchedAt) })}
        </p>
      )}
      <ErrorText message={error} />
      <FigureLegend />

      {/* While a new period's answer is on its way, the figures shown are the last answer's: marked
          busy (dimmed, and announced by screen readers) so nobody reads them as the new period's. */}
      <div className="report-results" aria-busy={loading}>
        {rows && (
          <>
            <h2>{t('reports.trend')}</h2>
            <ErrorBoundary fallback={<p className="muted">{t('charts.unavailable')}</p>}>
              <Suspense fallback={<p className="muted">{t('charts.loading')}</p>}>
                <ReportTrendCharts rows={rows} />
              </Suspense>
            </ErrorBoundary>
            <FiguresTable
              label={t('reports.trend')}
              firstHeader={t('reports.period')}
              className="trend"
              rows={rows.map((r) => ({ ...r, key: r.period, name: periodName(r.period) }))}
            />
            {rows.at(-1) && (
              <AggregatesTable
                aggregates={(rows.at(-1) as ReportRow).aggregates}
                caption={t('reports.latest', {
                  period: periodName((rows.at(-1) as ReportRow).period),
                })}
              />
            )}
          </>
        )}

        <h2>{compareLabel}</h2>
        <FiguresTable
          label={compareLabel}
          firstHeader={t('reports.unit')}
          className="compare"
          rows={units.map((u) => ({ ...u, key: u.unitId ?? 'org', name: unitName(u) }))}
        />
      </div>
      {person?.roles.includes('leader') && <StaffAccess />}
    </section>
  )
}
