// Report periods: month, quarter and year buckets of ISO dates, by calendar date (the date part, no time zones).

export const PERIOD_KINDS = ['month', 'quarter', 'year'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]

/** A period: its key ('2026-03', '2026-Q1', '2026') and its first and last day (inclusive). */
export interface Period {
  key: string
  kind: PeriodKind
  from: string
  to: string
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/

function parts(date: string): { year: number; month: number } {
  const m = ISO_DATE.exec(date)
  const month = Number(m?.[2])
  if (!m || month < 1 || month > 12) throw new RangeError(`Not an ISO date: ${date}`)
  return { year: Number(m[1]), month }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function make(kind: PeriodKind, year: number, firstMonth: number): Period {
  const months = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12
  const lastMonth = firstMonth + months - 1
  const key =
    kind === 'month'
      ? `${pad(year, 4)}-${pad(firstMonth)}`
      : kind === 'quarter'
        ? `${pad(year, 4)}-Q${(firstMonth - 1) / 3 + 1}`
        : pad(year, 4)
  return {
    key,
    kind,
    from: `${pad(year, 4)}-${pad(firstMonth)}-01`,
    to: `${pad(year, 4)}-${pad(lastMonth)}-${pad(lastDay(year, lastMonth))}`,
  }
}

/** The period of the given kind that holds the date (ISO date or date-time; only the date part counts). */
export function periodOf(date: string, kind: PeriodKind): Period {
  const { year, month } = parts(date)
  const first = kind === 'month' ? month : kind === 'quarter' ? month - ((month - 1) % 3) : 1
  return make(kind, year, first)
}

/** The period after this one. */
export function nextPeriod(period: Period): Period {
  const { year, month } = parts(period.from)
  const step = period.kind === 'month' ? 1 : period.kind === 'quarter' ? 3 : 12
  const m = month - 1 + step
  return make(period.kind, year + Math.floor(m / 12), (m % 12) + 1)
}

/** Every period of the kind from the one holding `from` to the one holding `to`, in order; empty if from > to. */
export function periodsBetween(from: string, to: string, kind: PeriodKind): Period[] {
  const out: Period[] = []
  const last = periodOf(to, kind)
  for (let p = periodOf(from, kind); p.from <= last.from; p = nextPeriod(p)) out.push(p)
  return out
}

/** Whether the date (its date part) falls within the period. */
export function inPeriod(date: string, period: Period): boolean {
  const day = date.slice(0, 10)
  return day >= period.from && day <= period.to
}

/** Dates a report, an audit search or a supervision period may name; outside is a mistake, not a query. */
export const DATE_RANGE = { from: '2000-01-01', to: '2100-12-31' } as const

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME_OF_DAY = /^T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?Z$/

/** A real calendar date written YYYY-MM-DD (no 2026-02-30, no month 13) within DATE_RANGE. */
export function isCalendarDate(text: string): boolean {
  const m = DATE_ONLY.exec(text)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= lastDay(year, month) &&
    text >= DATE_RANGE.from &&
    text <= DATE_RANGE.to
  )
}

/** A calendar date as isCalendarDate, optionally followed by a real UTC time (T10:30Z, T10:30:00.000Z). */
export function isCalendarDateTime(text: string): boolean {
  if (!isCalendarDate(text.slice(0, 10))) return false
  if (text.length === 10) return true
  const t = TIME_OF_DAY.exec(text.slice(10))
  return t !== null && Number(t[1]) <= 23 && Number(t[2]) <= 59 && Number(t[3] ?? 0) <= 59
}
