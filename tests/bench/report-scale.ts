// The report benchmark at each size (100,000 and 1,000,000 forms by default), each in a fresh
// database seeded in bulk (seed-bulk.ts): every report route timed, the memory of a fresh server
// process, and how the cost per form grows from the smaller size to the larger.
import { appOn, backends, createTestDatabase } from '../server/support/backends.ts'
import { MONTH_REPORT, reportFigures, reportMemory, type Timing, timeGet } from './report-bench.ts'
import { seedOrganisationBulk } from './seed-bulk.ts'
import { FORMS_PER_EPISODE } from './seed-org.ts'
import { type BenchFigure, quantile } from './stats.ts'

const DEFAULT_SIZES = [100_000, 1_000_000]

/** Report sizes in forms, smallest first: BENCH_REPORT_SIZES or 100k and 1M. */
export function reportSizes(): number[] {
  const sizes = process.env.BENCH_REPORT_SIZES?.split(',').map(Number) ?? DEFAULT_SIZES
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0 || n % (2 * FORMS_PER_EPISODE) !== 0))
    throw new Error(
      `BENCH_REPORT_SIZES: whole multiples of ${2 * FORMS_PER_EPISODE}, comma-separated (e.g. 100000,1000000)`,
    )
  return [...new Set(sizes)].sort((a, b) => a - b)
}

export const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`)
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`

interface Measured {
  size: number
  month: Timing
}

/** Month report p50 per form at the largest size ÷ the same at the next smaller size. */
function perFormRatio(backend: string, small: Measured, big: Measured): BenchFigure {
  const per = (m: Measured, key: keyof Timing) => quantile(m.month[key], 0.5) / m.size
  const ratio = (key: keyof Timing) => per(big, key) / per(small, key)
  const [s, b] = [sizeLabel(small.size), sizeLabel(big.size)]
  return {
    name: `${backend}: report cost per form, ${s} → ${b}`,
    unit: 'ratio',
    value: ratio('samples'),
    note: `(report by month p50 at ${b} ÷ ${b} forms) ÷ (the same at ${s} ÷ ${s} forms); ≤ 1: linear or better; on this process's CPU time p50 instead: ${ratio('cpu').toFixed(2)}`,
  }
}

/** Seeds each size on each backend and runs the report benchmark on it. */
export async function reportScaleBench(sizes: number[]): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = []
  for (const backend of backends()) {
    const measured: Measured[] = []
    for (const size of sizes) {
      const label = `${backend}, ${sizeLabel(size)}`
      const database = await createTestDatabase(backend)
      const server = await appOn(database, { LINJA_LOGIN_RATE_LIMIT: '100000' })
      let open = true
      try {
        const section = performance.now()
        const org = await seedOrganisationBulk(server.app, database, size)
        figures.push(
          {
            name: `${label}: seeding the records in bulk`,
            unit: 'records/s',
            n: org.records,
            value: (org.records / org.pushMs) * 1000,
            note: `${fmtS(org.pushMs)} for ${org.records.toLocaleString('en')} records (${org.clients.toLocaleString('en')} clients and episodes, ${org.administrations.toLocaleString('en')} forms; ${org.units} units and ${org.practitioners} practitioners) in ${org.pushes} transactions, instead of pushes: every operation passes the push's shape and score checks and is written as the push writes it (record, change-log and access rows); CPU time of this process ${fmtS(org.pushCpuMs)}`,
          },
          {
            name: `${label}: building the reports' read model from those records`,
            unit: 'episodes/s',
            n: org.clients,
            value: (org.clients / org.facts.ms) * 1000,
            note: `${fmtS(org.facts.ms)}: rebuildEpisodeFacts, which runs the code the push keeps the facts with (refreshEpisodeFacts) over every client, 500 a transaction; CPU time of this process ${fmtS(org.facts.cpuMs)}`,
          },
        )
        const month = await timeGet(server.app, org.admin.headers, MONTH_REPORT)
        measured.push({ size, month })
        figures.push(...(await reportFigures(server.app, database, org, label, month)))
        // The fresh server process gets the database to itself.
        await server.close()
        open = false
        figures.push(...(await reportMemory(database, org, label)))
        console.log(
          `reports, ${label}: ${fmtS(performance.now() - section)} (seeding ${fmtS(org.pushMs)}, read model ${fmtS(org.facts.ms)})`,
        )
      } finally {
        if (open) await server.close()
        await database.drop()
      }
    }
    const [small, big] = measured.slice(-2)
    if (small && big) figures.push(perFormRatio(backend, small, big))
    if (process.env.LINJA_BENCH_ONLY === 'sqlite') break
  }
  return figures
}
