// Loaded lazily: its sections pull in chart.js, which client mode never needs.
import { useCallback, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { type AgeGroup, type EpisodeRecord, outcomeChart, sessionChart } from '../../core/index.ts'
import { intlLocale, isUiLocale } from '../../i18n/index.ts'
import { settingsFor, useOrgSettingsStore } from '../../state/org-settings-store.ts'
import { OutcomeChartSection } from './OutcomeChartSection.tsx'
import { SessionChartSection } from './SessionChartSection.tsx'

/** Session number -> the day of its first form ("12. nov."), for the charts' x axis. */
function useSessionDates(points: readonly { session: number; markedAt: string }[]) {
  const { i18n } = useTranslation()
  const locale = isUiLocale(i18n.language) ? i18n.language : 'nb'
  const dates = useMemo(() => {
    const format = new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short' })
    const first = new Map<number, string>()
    for (const p of points) {
      const known = first.get(p.session)
      if (known === undefined || p.markedAt < known) first.set(p.session, p.markedAt)
    }
    return new Map([...first].map(([session, at]) => [session, format.format(new Date(at))]))
  }, [points, locale])
  return useCallback((session: number) => dates.get(session) ?? null, [dates])
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
  const org = useOrgSettingsStore((s) => s.settings)
  const settings = useMemo(() => settingsFor(org), [org])
  const outcome = useMemo(
    () => outcomeChart(episode, ageGroup, settings),
    [episode, ageGroup, settings],
  )
  const session = useMemo(() => sessionChart(episode, settings), [episode, settings])
  const allPoints = useMemo(
    () => [...outcome.points, ...session.points],
    [outcome.points, session.points],
  )
  const dateOf = useSessionDates(allPoints)
  const lastSession = Math.max(
    outcome.target.at(-1)?.session ?? 1,
    outcome.points.at(-1)?.session ?? 1,
    session.points.at(-1)?.session ?? 1,
  )

  if (outcome.points.length === 0 && session.points.length === 0) {
    return <p className="muted">{t('charts.none')}</p>
  }
  return (
    <div className="charts">
      {outcome.points.length > 0 && (
        <OutcomeChartSection outcome={outcome} lastSession={lastSession} dateOf={dateOf} />
      )}
      {session.points.length > 0 && (
        <SessionChartSection session={session} lastSession={lastSession} dateOf={dateOf} />
      )}
      <button type="button" className="no-print" onClick={() => window.print()}>
        {t('charts.print')}
      </button>
    </div>
  )
}
