// Report routes on a seeded organisation: time per request in process (app.inject), a check that
// the figures add up to what was seeded, and the peak memory of a fresh server process.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { loadEpisodes } from '../../sync-server/src/reports/episodes.ts'
import { startServer } from '../e2e/support/server-process.ts'
import type { TestDatabase } from '../server/support/backends.ts'
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

/** Server time of `runs` GETs (after a warm-up); throws unless every answer is 200. */
export async function timeGet(
  app: FastifyInstance,
  headers: Record<string, string>,
  url: string,
  runs = RUNS,
): Promise<{ samples: number[]; cpu: number[]; body: string }> {
  const samples: number[] = []
  const cpu: number[] = []
  let body = ''
  for (let i = 0; i <= runs; i++) {
    const t = performance.now()
    const c = process.cpuUsage()
    const res = await app.inject({ method: 'GET', url, headers })
    const ms = performance.now() - t
    const cpuMs = cpuMsSince(c)
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
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

/** The part every whole-organisation report starts with: every record read and parsed into episodes. */
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

/** Times every report route as an admin (whole organisation) and a leader (one unit). */
export async function reportFigures(
  app: FastifyInstance,
  database: TestDatabase,
  org: SeededOrg,
  backend: string,
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
  const floor = await loadFloor(database, org)
  const all = `whole organisation (${org.clients.toLocaleString('en')} episodes)`
  return [
    figure(`${backend}: GET /api/reports by month, 24 periods`, month, `admin, ${all}`),
    figure(`${backend}: GET /api/reports by quarter, 8 periods`, quarter, `admin, ${all}`),
    figure(
      `${backend}: GET /api/reports by year, 2 periods`,
      year,
      `admin, ${all}; counted ${org.clients} clients and ${org.closed} closed episodes, as seeded`,
    ),
    figure(
      `${backend}: GET /api/reports/compare, one year`,
      compare,
      `admin: ${plural(org.units, 'unit')} and the organisation, each suppressed on its own`,
    ),
    figure(
      `${backend}: GET /api/reports.csv by month, 24 periods`,
      csv,
      `admin, ${all}; ${csvLines} CSV lines; each request writes an audit row`,
    ),
    figure(
      `${backend}: GET /api/reports by month, one unit`,
      unit,
      `leader of 1 of ${plural(org.units, 'unit')}`,
    ),
    figure(
      `${backend}: loadEpisodes alone, whole organisation`,
      floor,
      `part of each whole-organisation report above: reads all ${org.records.toLocaleString('en')} records and parses them into episodes`,
    ),
  ]
}

function kib(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m?.[1])
}

/**
 * Peak resident memory (VmHWM) of a fresh server process on the seeded database, before and after
 * one report of each kind over HTTP. The in-process figures cannot show this: that process seeded.
 */
export async function reportMemory(
  database: TestDatabase,
  backend: string,
): Promise<BenchFigure[]> {
  const dataDir = database.env.DATA_DIR
  const server = await startServer(
    { LOG_LEVEL: 'silent', ...(database.env.DATABASE_URL ? database.env : {}) },
    ...(dataDir ? [dataDir] : []),
  )
  const pid = server.child.pid ?? 0
  try {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-password-1', deviceName: 'rss' }),
    })
    const token = (await res.json()) as { accessToken: string }
    const get = async (url: string) => {
      const r = await fetch(`${server.url}${url}`, {
        headers: { authorization: `Bearer ${token.accessToken}` },
      })
      if (r.status !== 200) throw new Error(`${url}: ${r.status}`)
      await r.arrayBuffer()
    }
    const before = kib(pid, 'VmHWM')
    await get(MONTH_REPORT)
    const afterMonth = kib(pid, 'VmHWM')
    await get(`/api/reports?period=quarter&${RANGE}`)
    await get(`/api/reports?period=year&${RANGE}`)
    await get('/api/reports/compare?period=year&at=2025-01-01')
    await get(`/api/reports.csv?period=month&${RANGE}`)
    const afterAll = kib(pid, 'VmHWM')
    const mib = (k: number) => k / 1024
    return [
      {
        name: `${backend}: peak RSS growth, first report by month in a fresh server process`,
        unit: 'MiB',
        value: mib(afterMonth - before),
        note: `VmHWM ${mib(before).toFixed(0)} → ${mib(afterMonth).toFixed(0)} MiB (server process, HTTP)`,
      },
      {
        name: `${backend}: peak RSS growth after one of each report`,
        unit: 'MiB',
        value: mib(afterAll - before),
        note: `VmHWM ${mib(before).toFixed(0)} → ${mib(afterAll).toFixed(0)} MiB; month, quarter, year, compare, CSV`,
      },
    ]
  } finally {
    // SQLite: the data folder is the seeded database's, removed with it later.
    if (dataDir) await server.stop()
    else await server.cleanup()
  }
}
