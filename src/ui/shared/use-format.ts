import { useMemo } from 'react'
import { intlLocale } from '../../i18n/index.ts'
import { useUiStore } from '../../state/ui-store.ts'

/** Numbers and dates in the practitioner's locale (Norwegian decimal comma). */
export function useFormat() {
  const locale = useUiStore((s) => s.locale)
  return useMemo(() => {
    const tag = intlLocale(locale)
    const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    const two = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' })
    const day = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' })
    const clock = new Intl.DateTimeFormat(tag, { timeStyle: 'short' })
    return {
      score: (v: number) => one.format(v),
      twoDecimals: (v: number) => two.format(v),
      dateTime: (iso: string) => date.format(new Date(iso)),
      date: (iso: string) => day.format(new Date(iso)),
      time: (iso: string) => clock.format(new Date(iso)),
    }
  }, [locale])
}
