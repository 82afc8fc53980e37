// S17 in a person's terms: which way the tablet's clock is off, and by how much in the largest whole unit.
import { CLOCK_SKEW_WARNING_MS } from '../core/sync-protocol.ts'

export const SKEW_UNITS = ['minute', 'hour', 'day'] as const
export type SkewUnit = (typeof SKEW_UNITS)[number]

export interface ClockSkew {
  direction: 'ahead' | 'behind'
  amount: number
  unit: SkewUnit
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Null while the clocks agree within the warning limit (5 minutes). */
export function describeClockSkew(skewMs: number | null | undefined): ClockSkew | null {
  if (skewMs === null || skewMs === undefined || Math.abs(skewMs) <= CLOCK_SKEW_WARNING_MS) {
    return null
  }
  const off = Math.abs(skewMs)
  const direction = skewMs > 0 ? 'ahead' : 'behind'
  if (off >= DAY) return { direction, amount: Math.round(off / DAY), unit: 'day' }
  if (off >= HOUR) return { direction, amount: Math.round(off / HOUR), unit: 'hour' }
  return { direction, amount: Math.round(off / MINUTE), unit: 'minute' }
}
