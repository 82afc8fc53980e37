// Report routes on a seeded organisation: time per request in process (app.inject), a check that
// the figures add up to what was seeded, and the peak memory of a fresh server process.

import { readFileSync, writeFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { loadEpisodes } from '../../sync-server/src/reports/episodes.ts'
import { startServer } from '../e2e/support/server-process.ts'
import type { TestDatabase } from '../server/support/backends.ts'
import { passSecondFactor, type SecondFactorStep } from '../server/support/two-factor.ts'
import { PASSWORD } from '../server/support/world.ts'
import { REPORT_FROM, REPORT_TO, type SeededOrg } from './seed-org.ts'
import { type BenchFigure, cpuMsSince, quantile } from './stats.ts'

/** Timed requests per route, after one untimed warm-up. */
const RUNS = 5
const RANGE = `from=${REPORT_FROM}&to=${REPORT_TO}`
export const MONTH_REPORT = `/api/reports?period=month&${RANGE}`

interface Figure {
  value: number | null
  n: number
}
interface ReportBody {
  rows: {
    n: number
    suppressed: boolean
    aggregates: {
      clients: { total: Figure }
      episodes: { total: Figure; closed: Figure }
      sessionsPerEpisode: Figure
      effectSize: { prePost: Figure }
    }
  }[]
}
interface CompareBody {
  rows: { unitId: string | null; n: number; suppressed: boolean }[]
}

/** A warm-up slower than this gets fewer timed runs, so the slowest sizes still finish (n says how many). */
const SLOW_MS = 10_000
const SLOW_RUNS = 2

/** Server time of `runs` GETs (after a warm-up; fewer when the warm-up is slow); throws unless every answer is 200. */
export async function timeGet(
  app: FastifyInstance,
  headers: Record<string, string>,
  url: string,
  runs = RUNS,
): Promise<{ samples: number[]; cpu: number[]; body: string }> {
  const samples: number[] = []
  const cpu: number[] = []
  let body = ''
  let timed = runs
  for (let i = 0; i <= timed; i++) {
    const t = performance.now()
    const c = process.cpuUsage()
    const res = await app.inject({ method: 'GET', url, headers })
    const ms = performance.now() - t
    const cpuMs = cpuMsSince(c)
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    if (i === 0 && ms > SLOW_MS) timed = Math.min(runs, SLOW_RUNS)
    if (i > 0) {
      samples.push(ms)
      cpu.push(cpuMs)
    }
    body = res.body
  }
  return { samples, cpu, body }
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

/** The report must count every seeded client, episode and closed episode exactly once. */
function checkYearReport(body: string, org: SeededOrg): void {
  const rows = (JSON.parse(body) as ReportBody).rows
  const clients = sum(rows.map((r) => r.aggregates.clients.total.value ?? 0))
  const episodes = sum(rows.map((r) => r.aggregates.episodes.total.value ?? 0))
  const closed = sum(rows.map((r) => r.aggregates.episodes.closed.value ?? 0))
  if (rows.some((r) => r.suppressed) || clients !== org.clients || episodes !== org.clients)
    throw new Error(
      `year report counts ${clients} clients, ${episodes} episodes; seeded ${org.clients}`,
    )
  if (closed !== org.closed)
    throw new Error(`year report counts ${closed} closed episodes; seeded ${org.closed}`)
  // The seed gives 4 to 16 sessions and mostly improving clients (values stay unprinted).
  for (const { aggregates: a } of rows) {
    const sessions = a.sessionsPerEpisode.value ?? 0
    if (sessions < 4 || sessions > 16 || (a.effectSize.prePost.value ?? 0) <= 0)
      throw new Error('year report: sessions per episode or effect size out of the seeded range')
  }
}

function checkCompare(body: string, org: SeededOrg): void {
  const rows = (JSON.parse(body) as CompareBody).rows
  const whole = rows.find((r) => r.unitId === null)
  const units = rows.filter((r) => r.unitId !== null)
  if (!whole || units.length !== org.units || sum(units.map((r) => r.n)) !== whole.n)
    throw new Error('compare: the units do not add up to the organisation')
}

export interface Timing {
  /** Wall time per run. */
  samples: number[]
  /** This process's CPU time per run. */
  cpu: number[]
}

function figure(name: string, t: Timing, note: string): BenchFigure {
  return {
    name,
    unit: 'ms',
    n: t.samples.length,
    p50: quantile(t.samples, 0.5),
    p95: quantile(t.samples, 0.95),
    note: `${note}; CPU time of this process p50 ${quantile(t.cpu, 0.5).toFixed(0)} ms`,
  }
}

/** How reports read before the read model: every record read and parsed into episodes. */
async function loadFloor(database: TestDatabase, org: SeededOrg): Promise<Timing> {
  const opened = openDatabase({
    dataDir: database.env.DATA_DIR ?? '',
    databaseUrl: database.env.DATABASE_URL ?? null,
  })
  const timing: Timing = { samples: [], cpu: [] }
  try {
    for (let i = 0; i <= RUNS; i++) {
      const t = performance.now()
      const c = process.cpuUsage()
      const episodes = await loadEpisodes(opened.db)
      if (i > 0) {
        timing.samples.push(performance.now() - t)
        timing.cpu.push(cpuMsSince(c))
      }
      if (episodes.length !== org.clients) throw new Error(`loaded ${episodes.length} episodes`)
    }
  } finally {
    await opened.close()
  }
  return timing
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const SUPERVISION_RANGE = RANGE

/** Times every report route as an admin (whole organisation), a leader (one unit) and a supervisor. */
export async function reportFigures(
  app: FastifyInstance,
  database: TestDatabase,
  org: SeededOrg,
  label: string,
  month: Timing,
): Promise<BenchFigure[]> {
  const h = org.admin.headers
  const quarter = await timeGet(app, h, `/api/reports?period=quarter&${RANGE}`)
  const year = await timeGet(app, h, `/api/reports?period=year&${RANGE}`)
  checkYearReport(year.body, org)
  const compare = await timeGet(app, h, '/api/reports/compare?period=year&at=2025-01-01')
  checkCompare(compare.body, org)
  const csv = await timeGet(app, h, `/api/reports.csv?period=month&${RANGE}`)
  const csvLines = csv.body.split('\r\n').length - 2
  const unit = await timeGet(
    app,
    org.leader.headers,
    `/api/reports?unitId=${org.leaderUnitId}&period=month&${RANGE}`,
  )
  const supervision = await timeGet(
    app,
    org.supervisor.headers,
    `/api/supervision/supervisees/${org.superviseeId}/aggregates?${SUPERVISION_RANGE}`,
  )
  const all = `whole organisation (${org.clients.toLocaleString('en')} episodes, ${org.administrations.toLocaleString('en')} forms)`
  const figures = [
    figure(`${label}: GET /api/reports by month, 24 periods`, month, `admin, ${all}`),
    figure(`${label}: GET /api/reports by quarter, 8 periods`, quarter, `admin, ${all}`),
    figure(
      `${label}: GET /api/reports by year, 2 periods`,
      year,
      `admin, ${all}; counted ${org.clients} clients and ${org.closed} closed episodes, as seeded`,
    ),
    figure(
      `${label}: GET /api/reports/compare, one year`,
      compare,
      `admin: ${plural(org.units, 'unit')} and the organisation, each suppressed on its own`,
    ),
    figure(
      `${label}: GET /api/reports.csv by month, 24 periods`,
      csv,
      `admin, ${all}; ${csvLines} CSV lines; each request writes an audit row`,
    ),
    figure(
      `${label}: GET /api/reports by month, one unit`,
      unit,
      `leader of 1 of ${plural(org.units, 'unit')}`,
    ),
    figure(
      `${label}: GET /api/supervision/supervisees/:id/aggregates`,
      supervision,
      `supervisor of all ${plural(org.practitioners, 'practitioner')}, one supervisee's 100 clients, two years`,
    ),
  ]
  // Reading every record is what the reports did before the read model (now the property test's
  // oracle): shown for comparison; above 100k forms it would only measure this process's heap.
  if (org.administrations <= 100_000) {
    const floor = await loadFloor(database, org)
    figures.push(
      figure(
        `${label}: loadEpisodes alone, whole organisation`,
        floor,
        `not on the report path any more: how reports read before the read model, every record parsed into episodes: ${org.records.toLocaleString('en')} records`,
      ),
    )
  }
  return figures
}

function kib(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m?.[1])
}

/** Starts a new peak: Linux resets VmHWM to the current resident size (proc(5), clear_refs 5). */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5')
}

const REPORT_KINDS = [
  ['report by month', MONTH_REPORT],
  ['report by quarter', `/api/reports?period=quarter&${RANGE}`],
  ['report by year', `/api/reports?period=year&${RANGE}`],
  ['compare, one year', '/api/reports/compare?period=year&at=2025-01-01'],
  ['CSV by month', `/api/reports.csv?period=month&${RANGE}`],
] as const

/**
 * Peak resident memory (VmHWM) of a fresh server process on the seeded database: growth over
 * the resident size before each report of each kind (the peak reset before each), and the peak
 * after all of them over the size before the first. The in-process figures cannot show this:
 * that process seeded.
 */
export async function reportMemory(
  database: TestDatabase,
  org: SeededOrg,
  label: string,
): Promise<BenchFigure[]> {
  const dataDir = database.env.DATA_DIR
  const server = await startServer(
    { LOG_LEVEL: 'silent', ...(database.env.DATABASE_URL ? database.env : {}) },
    ...(dataDir ? [dataDir] : []),
  )
  const pid = server.child.pid ?? 0
  try {
    const post = async (url: string, body: Record<string, unknown>) => {
      const res = await fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      return { status: res.status, body: (await res.json()) as unknown }
    }
    const token = async (username: string, password: string) => {
      const res = await post('/api/auth/login', { username, password, deviceName: 'rss' })
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`)
      // The admin signs in with a second factor (the seed enrolled it in this process).
      const body =
        typeof res.body === 'object' && res.body !== null && 'secondFactor' in res.body
          ? await passSecondFactor(post, username, res.body as SecondFactorStep)
          : res.body
      return (body as { accessToken: string }).accessToken
    }
    const admin = await token('admin', 'admin-password-1')
    const supervisor = await token('supervisor', PASSWORD)
    const get = async (url: string, accessToken: string) => {
      const r = await fetch(`${server.url}${url}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`)
      await r.arrayBuffer()
    }
    const mib = (k: number) => k / 1024
    const first = kib(pid, 'VmHWM')
    let peak = first
    const figures: BenchFigure[] = []
    const kinds: [string, string, string][] = [
      ...REPORT_KINDS.map(([kind, url]): [string, string, string] => [kind, url, admin]),
      [
        'supervision figures',
        `/api/supervision/supervisees/${org.superviseeId}/aggregates?${SUPERVISION_RANGE}`,
        supervisor,
      ],
    ]
    for (const [kind, url, accessToken] of kinds) {
      resetPeak(pid)
      const before = kib(pid, 'VmRSS')
      await get(url, accessToken)
      const after = kib(pid, 'VmHWM')
      peak = Math.max(peak, after)
      figures.push({
        name: `${label}: peak RSS growth, ${kind}`,
        unit: 'MiB',
        value: mib(after - before),
        note: `server process over HTTP: peak (VmHWM) during the request − resident size (VmRSS) before it, ${mib(before).toFixed(0)} → ${mib(after).toFixed(0)} MiB`,
      })
    }
    figures.push({
      name: `${label}: peak RSS growth after one of each report`,
      unit: 'MiB',
      value: mib(peak - first),
      note: `fresh server process: highest peak of the ${kinds.length} requests above − peak before the first, ${mib(first).toFixed(0)} → ${mib(peak).toFixed(0)} MiB`,
    })
    return figures
  } finally {
    // SQLite: the data folder is the seeded database's, removed with it later.
    if (dataDir) await server.stop()
    else await server.cleanup()
  }
}
