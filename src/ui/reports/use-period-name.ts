import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { intlLocale } from '../../i18n/index.ts'
import { useUiStore } from '../../state/ui-store.ts'

/**
 * A report period's key ('2024-11', '2024-Q3', '2024') as a reader says it: "nov. 2024",
 * "3. kvartal 2024", "2024" (months by Intl, quarters by the locale's words).
 */
export function usePeriodName(): (key: string) => string {
  const { t } = useTranslation()
  const locale = useUiStore((s) => s.locale)
  return useMemo(() => {
    const month = new Intl.DateTimeFormat(intlLocale(locale), {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    })
    return (key: string) => {
      const m = /^(\d{4})-(\d{2})$/.exec(key)
      if (m) return month.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))
      const q = /^(\d{4})-Q([1-4])$/.exec(key)
      if (q) return t('reports.quarterName', { quarter: Number(q[2]), year: q[1] })
      return key
    }
  }, [locale, t])
}
