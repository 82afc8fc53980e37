import { describe, expect, it } from 'vitest'
import { inPeriod, nextPeriod, periodOf, periodsBetween } from '../../src/core/index.ts'

describe('periods', () => {
  it('puts a date in its month, quarter and year with the first and last day', () => {
    expect(periodOf('2026-02-14', 'month')).toEqual({
      key: '2026-02',
      kind: 'month',
      from: '2026-02-01',
      to: '2026-02-28',
    })
    expect(periodOf('2024-02-29T23:59:59.999Z', 'month').to).toBe('2024-02-29')
    expect(periodOf('2026-05-31', 'quarter')).toEqual({
      key: '2026-Q2',
      kind: 'quarter',
      from: '2026-04-01',
      to: '2026-06-30',
    })
    expect(periodOf('2026-12-31', 'quarter').key).toBe('2026-Q4')
    expect(periodOf('2026-01-01', 'quarter').key).toBe('2026-Q1')
    expect(periodOf('2026-07-04', 'year')).toEqual({
      key: '2026',
      kind: 'year',
      from: '2026-01-01',
      to: '2026-12-31',
    })
  })

  it('uses the date as written, whatever the time of day', () => {
    expect(periodOf('2026-03-31T23:30:00.000Z', 'month').key).toBe('2026-03')
    expect(periodOf('2026-04-01T00:00:00+02:00', 'month').key).toBe('2026-04')
  })

  it('steps over year ends', () => {
    expect(nextPeriod(periodOf('2026-12-05', 'month')).key).toBe('2027-01')
    expect(nextPeriod(periodOf('2026-11-05', 'quarter')).key).toBe('2027-Q1')
    expect(nextPeriod(periodOf('2026-11-05', 'year')).key).toBe('2027')
  })

  it('lists every period between two dates, including both ends', () => {
    expect(periodsBetween('2025-11-20', '2026-02-01', 'month').map((p) => p.key)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ])
    expect(periodsBetween('2025-12-31', '2026-04-01', 'quarter').map((p) => p.key)).toEqual([
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
    ])
    expect(periodsBetween('2026-03-01', '2026-03-02', 'year').map((p) => p.key)).toEqual(['2026'])
    expect(periodsBetween('2026-03-01', '2025-03-02', 'month')).toEqual([])
  })

  it('tells whether a date is in a period, at both edges', () => {
    const q1 = periodOf('2026-02-01', 'quarter')
    expect(inPeriod('2026-01-01T00:00:00.000Z', q1)).toBe(true)
    expect(inPeriod('2026-03-31T23:59:59.000Z', q1)).toBe(true)
    expect(inPeriod('2025-12-31', q1)).toBe(false)
    expect(inPeriod('2026-04-01', q1)).toBe(false)
  })

  it('refuses what is not an ISO date', () => {
    expect(() => periodOf('March 2026', 'month')).toThrow(RangeError)
    expect(() => periodOf('2026-13-01', 'month')).toThrow(RangeError)
  })
})
