// Small descriptive statistics shared by aggregates and trajectory fitting.

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null
  return values.reduce((s, v) => s + v, 0) / values.length
}

/** Sample standard deviation (n − 1), the usual choice for effect sizes; null below two values. */
export function sampleSd(values: readonly number[]): number | null {
  const m = mean(values)
  if (m === null || values.length < 2) return null
  const ss = values.reduce((s, v) => s + (v - m) ** 2, 0)
  return Math.sqrt(ss / (values.length - 1))
}

/** Percentage 0–100 (unrounded; the UI rounds), null for an empty denominator. */
export function percent(count: number, of: number): number | null {
  return of === 0 ? null : (100 * count) / of
}
