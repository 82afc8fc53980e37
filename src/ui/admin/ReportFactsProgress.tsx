import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { apiJson } from '../../state/online-api.ts'

const POLL_MS = 2000

/** While the server rebuilds the report figures after a change of cut-offs or trajectory, how far it has come. */
/** Mounted again (a new `key`) after every save, since a save may start a rebuild. */
export function ReportFactsProgress() {
  const { t } = useTranslation()
  const [percent, setPercent] = useState<number | null>(null)

  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const check = async () => {
      try {
        const state = await apiJson<{ building: boolean; percent: number }>(
          '/api/admin/settings/report-facts',
        )
        if (stopped) return
        setPercent(state.building ? state.percent : null)
        if (state.building) timer = setTimeout(() => void check(), POLL_MS)
      } catch {
        // Offline or signed out: the settings form says so; this line just stays away.
        if (!stopped) setPercent(null)
      }
    }
    void check()
    return () => {
      stopped = true
      if (timer) clearTimeout(timer)
    }
  }, [])

  return percent === null ? null : <p role="status">{t('org.reportFactsBuilding', { percent })}</p>
}
