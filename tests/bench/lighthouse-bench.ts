// Lighthouse (default mobile emulation and simulated throttling) on the built app served by the real
// server process, in Debian's headless Chromium: category scores and the main load metrics.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import lighthouse, { type Result } from 'lighthouse'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/browser.ts'
import { startServer } from '../e2e/support/server-process.ts'
import { type BenchFigure, quantile } from './stats.ts'

const RUNS = 3
/** A run that Lighthouse itself gives up on (e.g. NO_NAVSTART on a loaded machine) is tried again. */
const ATTEMPTS = 3
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const
const METRICS = [
  ['first-contentful-paint', 'First Contentful Paint', 'ms'],
  ['largest-contentful-paint', 'Largest Contentful Paint', 'ms'],
  ['total-blocking-time', 'Total Blocking Time', 'ms'],
  ['cumulative-layout-shift', 'Cumulative Layout Shift', 'score'],
] as const

/** Headless Chromium with a DevTools port for Lighthouse; resolves once it prints the port. */
async function launchForLighthouse(
  profile: string,
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    CHROMIUM,
    [
      ...CHROMIUM_ARGS,
      '--headless=new',
      // chrome-launcher's flags that keep a loaded machine from throttling the page under test.
      '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows',
      '--disable-renderer-backgrounding',
      '--disable-extensions',
      '--mute-audio',
      '--no-default-browser-check',
      '--password-store=basic',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let err = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${err}`)), 30_000)
    child.stderr?.on('data', (d) => {
      err += String(d)
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Chromium exited with ${code}:\n${err}`))
    })
  })
  return { port, child }
}

function stopChromium(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/** One Lighthouse run in a fresh profile: a first visit, no service worker or HTTP cache yet. */
async function auditOnce(url: string): Promise<Result> {
  const profile = mkdtempSync(join(tmpdir(), 'linja-lighthouse-'))
  const chromium = await launchForLighthouse(profile)
  try {
    const result = await lighthouse(url, {
      port: chromium.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: [...CATEGORIES],
    })
    if (!result) throw new Error('Lighthouse returned no result')
    if (result.lhr.runtimeError) throw new Error(`Lighthouse: ${result.lhr.runtimeError.message}`)
    return result.lhr
  } finally {
    await stopChromium(chromium.child)
    rmSync(profile, { recursive: true, force: true })
  }
}

/** Lighthouse on one page of the built app (`/`, or the remote form page `/r/`). */
export async function lighthouseBench(path = '/'): Promise<BenchFigure[]> {
  const server = await startServer({ LOG_LEVEL: 'warn' })
  const scores = new Map<string, number[]>()
  const metrics = new Map<string, number[]>()
  const foreign = new Set<string>()
  const benchmarkIndex: number[] = []
  const warnings = new Set<string>()
  const retried: string[] = []
  let requests = 0
  let version = ''
  try {
    for (let run = 0; run < RUNS; run++) {
      let lhr: Result | undefined
      for (let attempt = 1; !lhr; attempt++) {
        try {
          lhr = await auditOnce(`${server.url}${path}`)
        } catch (error) {
          if (attempt >= ATTEMPTS) throw error
          retried.push(error instanceof Error ? error.message : String(error))
        }
      }
      version = lhr.lighthouseVersion
      benchmarkIndex.push(lhr.environment.benchmarkIndex)
      for (const w of lhr.runWarnings) warnings.add(String(w))
      for (const c of CATEGORIES) {
        const score = lhr.categories[c]?.score
        if (typeof score !== 'number') throw new Error(`no ${c} score`)
        scores.set(c, [...(scores.get(c) ?? []), score * 100])
      }
      for (const [id] of METRICS) {
        const v = lhr.audits[id]?.numericValue
        if (typeof v !== 'number') throw new Error(`no ${id}`)
        metrics.set(id, [...(metrics.get(id) ?? []), v])
      }
      const items = (lhr.audits['network-requests']?.details as { items?: { url?: string }[] })
        ?.items
      for (const item of items ?? []) {
        requests += 1
        const url = item.url ?? ''
        if (!url.startsWith(server.url) && !/^(data|blob|chrome-extension):/.test(url))
          foreign.add(new URL(url).origin)
      }
    }
  } finally {
    await server.cleanup()
  }
  if (foreign.size > 0) throw new Error(`requests left the server: ${[...foreign].join(', ')}`)
  for (const w of warnings) console.warn(`Lighthouse warning: ${w}`)
  for (const r of retried) console.warn(`Lighthouse run tried again after: ${r}`)
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`
  const figures: BenchFigure[] = CATEGORIES.map((c) => {
    const xs = scores.get(c) ?? []
    return {
      name: `${c} score`,
      unit: 'score 0–100',
      n: xs.length,
      value: quantile(xs, 0.5),
      note: `median of ${xs.length} runs (range ${range(xs)}); Lighthouse ${version}, first visit of ${path} (fresh profile); Lighthouse's CPU benchmark index ${range(benchmarkIndex)}; ${plural(warnings.size, 'run warning')}; ${plural(retried.length, 'run')} tried again`,
    }
  })
  for (const [id, label, unit] of METRICS) {
    const xs = metrics.get(id) ?? []
    figures.push({
      name: label,
      unit,
      n: xs.length,
      p50: quantile(xs, 0.5),
      p95: quantile(xs, 0.95),
      note:
        id === 'cumulative-layout-shift'
          ? 'unitless'
          : 'simulated slow 4G and 4x CPU slowdown (Lighthouse mobile default)',
    })
  }
  figures.push({
    name: 'Requests to other origins during the runs',
    unit: 'requests',
    value: 0,
    note: `of ${requests} requests in ${RUNS} runs, all to the server itself`,
  })
  return figures
}
