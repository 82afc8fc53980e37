// Growth: the same organisation at 1,000, 10,000 and 100,000 forms, each in a fresh database and
// pushed as tablets push: push, pull and report time at each size, and how much faster than linear
// they grow. The report benchmark proper (report-scale.ts) seeds its own, larger databases.
import type { FastifyInstance } from 'fastify'
import { appOn, type Backend, backends, createTestDatabase } from '../server/support/backends.ts'
import type { Session } from '../server/support/world.ts'
import { MONTH_REPORT, timeGet } from './report-bench.ts'
import { seedOrganisation } from './seed-org.ts'
import { type BenchFigure, cpuMsSince, quantile } from './stats.ts'

const DEFAULT_SIZES = [1_000, 10_000, 100_000]

/** Wall time, and this process's CPU time (immune to waiting for a core on a shared machine). */
interface Cost {
  ms: number
  cpu: number
}

interface Measured {
  size: number
  push: Cost
  pull: Cost
  report: Cost
}

/** A fresh device of someone who reads every client pulls from no cursor, pages of 1000. */
async function pullAll(app: FastifyInstance, s: Session): Promise<Cost & { n: number }> {
  const t = performance.now()
  const c = process.cpuUsage()
  let n = 0
  let cursor = ''
  for (;;) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/sync/pull?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      headers: s.headers,
    })
    if (res.statusCode !== 200) throw new Error(`pull: ${res.statusCode} ${res.body}`)
    const page = res.json<{ changes: unknown[]; cursor: string; hasMore: boolean }>()
    n += page.changes.length
    cursor = page.cursor
    if (!page.hasMore) break
  }
  return { ms: performance.now() - t, cpu: cpuMsSince(c), n }
}

const k = (n: number) => `${n / 1000}k`
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`

function growthRatios(backend: Backend, rows: Measured[]): BenchFigure[] {
  const steps = rows.slice(1).flatMap((big, i) => {
    const small = rows[i]
    return small ? [{ small, big, factor: big.size / small.size }] : []
  })
  const last = steps[steps.length - 1]
  if (!last) return []
  const { small, big, factor } = last
  const metrics = [
    ['push', (r: Measured) => r.push],
    ['pull', (r: Measured) => r.pull],
    ['report by month (p50)', (r: Measured) => r.report],
  ] as const
  const cpuOf =
    backend === 'sqlite'
      ? 'this process’s CPU time (all the server’s computing on SQLite; disk waits not counted)'
      : 'this process’s CPU time (Node only; PostgreSQL’s own CPU not counted)'
  return metrics.map(([what, cost]) => {
    const ratio = (a: Measured, b: Measured, f: number, key: keyof Cost) =>
      (cost(b)[key] / cost(a)[key] / f).toFixed(2)
    const earlier = steps
      .slice(0, -1)
      .map(
        (s) => `; ${k(s.big.size)} vs ${k(s.small.size)}: ${ratio(s.small, s.big, s.factor, 'ms')}`,
      )
      .join('')
    return {
      name: `${backend}: ${what} growth, ${k(big.size)} vs ${k(small.size)}`,
      unit: 'ratio',
      value: cost(big).ms / cost(small).ms / factor,
      note: `wall time at ${k(big.size)} forms ÷ wall time at ${k(small.size)} forms, ÷ ${factor} (≤ 1: linear or better)${earlier}; on ${cpuOf} instead: ${ratio(small, big, factor, 'cpu')}`,
    }
  })
}

/** Growth sizes in forms, smallest first: BENCH_SIZES or 1k, 10k, 100k. */
export function growthSizes(): number[] {
  const sizes = process.env.BENCH_SIZES?.split(',').map(Number) ?? DEFAULT_SIZES
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0 || n % 40 !== 0))
    throw new Error('BENCH_SIZES: whole multiples of 40, comma-separated')
  return [...sizes].sort((a, b) => a - b)
}

/** Seeds each size on each backend through the push route and measures push, pull and report. */
export async function growthBench(sizes: number[]): Promise<BenchFigure[]> {
  const result: BenchFigure[] = []
  for (const backend of backends()) {
    const measured: Measured[] = []
    for (const size of sizes) {
      const database = await createTestDatabase(backend)
      const server = await appOn(database, { LINJA_LOGIN_RATE_LIMIT: '100000' })
      try {
        const org = await seedOrganisation(server.app, size)
        const pull = await pullAll(server.app, org.supervisor)
        if (pull.n !== org.records) throw new Error(`pulled ${pull.n} of ${org.records} records`)
        const month = await timeGet(server.app, org.admin.headers, MONTH_REPORT)
        const reportMs = quantile(month.samples, 0.5)
        measured.push({
          size,
          push: { ms: org.pushMs, cpu: org.pushCpuMs },
          pull,
          report: { ms: reportMs, cpu: quantile(month.cpu, 0.5) },
        })
        const cpu = (ms: number) => `CPU time of this process ${fmtS(ms)}`
        const shape = `${plural(org.units, 'unit')}, ${plural(org.practitioners, 'practitioner')}, ${org.clients} clients`
        result.push(
          {
            name: `${backend}: push, ${k(size)} forms`,
            unit: 'records/s',
            n: org.records,
            value: (org.records / org.pushMs) * 1000,
            note: `${fmtS(org.pushMs)} for ${org.records} records (${shape}, an episode each) in ${org.pushes} pushes of ≤ 500, one device per practitioner; ${cpu(org.pushCpuMs)}`,
          },
          {
            name: `${backend}: pull, ${k(size)} forms`,
            unit: 'records/s',
            n: pull.n,
            value: (pull.n / pull.ms) * 1000,
            note: `${fmtS(pull.ms)}; a supervisor of every practitioner, fresh device, pages of 1000; ${cpu(pull.cpu)}`,
          },
          {
            name: `${backend}: report by month, ${k(size)} forms`,
            unit: 'ms',
            n: month.samples.length,
            p50: reportMs,
            p95: quantile(month.samples, 0.95),
            note: `GET /api/reports, whole organisation, 24 months, admin; CPU time of this process p50 ${quantile(month.cpu, 0.5).toFixed(0)} ms`,
          },
        )
      } finally {
        await server.close()
        await database.drop()
      }
    }
    result.push(...growthRatios(backend, measured))
    if (process.env.LINJA_BENCH_ONLY === 'sqlite') break
  }
  return result
}
