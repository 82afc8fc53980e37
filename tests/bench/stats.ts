export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  const a = sorted[lo] ?? Number.NaN
  const b = sorted[hi] ?? a
  return a + (b - a) * (pos - lo)
}

/** This process's CPU time (user + system, all threads) in ms since `start`: time spent waiting for a busy core does not count. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start)
  return (d.user + d.system) / 1000
}

export interface BenchFigure {
  name: string
  unit: string
  n?: number
  p50?: number
  p95?: number
  value?: number
  note?: string
}
