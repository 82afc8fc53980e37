// `npm run bench`: runs every benchmark and writes docs/benchmarks.json and docs/benchmarks.md.
//
// Environment, for iterating on a few sections (the files are then written with those sections only):
//   BENCH_ONLY=reports,growth,lighthouse   sections to run, comma-separated, out of
//                                          client-mode, workspace, crypto, sync, server, reports, growth,
//                                          lighthouse, remote-page
//                                          (default: all)
//   BENCH_SIZES=1000,10000                 growth sizes in forms (default 1000,10000,100000; multiples
//                                          of 40), each pushed as tablets push
//   BENCH_REPORT_SIZES=100000,1000000      report benchmark sizes in forms (default 100000,1000000;
//                                          multiples of 40), each seeded in bulk (seed-bulk.ts)
//   LINJA_BENCH_ONLY=sqlite                skip PostgreSQL in the server, reports and growth sections
//   LINJA_TEST_PG=1                        fail instead of skipping when PostgreSQL is not reachable
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { resolve } from 'node:path'
import { startServer } from '../e2e/support/server-process.ts'
import { clientModeBench } from './client-mode-bench.ts'
import { cryptoChromiumBench, cryptoNodeBench } from './crypto-bench.ts'
import { growthBench, growthSizes } from './growth-bench.ts'
import { lighthouseBench } from './lighthouse-bench.ts'
import { remotePageBench } from './remote-page-bench.ts'
import { reportScaleBench, reportSizes, sizeLabel } from './report-scale.ts'
import { serverBench } from './server-bench.ts'
import type { BenchFigure } from './stats.ts'
import { syncBench } from './sync-bench.ts'
import { workspaceBench } from './workspace-bench.ts'

const ROOT = resolve(import.meta.dirname, '../..')

function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return ''
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}

const SECTIONS = [
  'client-mode',
  'workspace',
  'crypto',
  'sync',
  'server',
  'reports',
  'growth',
  'lighthouse',
  'remote-page',
] as const
type SectionName = (typeof SECTIONS)[number]

function selected(): Set<SectionName> {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (!only || only.length === 0) return new Set(SECTIONS)
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown sections ${unknown.join(', ')}`)
  return new Set(only as SectionName[])
}

interface Section {
  title: string
  figures: BenchFigure[]
  /** Set when the section threw: the other sections are still written, and the run exits 1. */
  error?: string
}

async function main(): Promise<void> {
  const run = selected()
  const loads = [loadavg()[0] ?? 0]
  const sampler = setInterval(() => loads.push(loadavg()[0] ?? 0), 15_000)
  sampler.unref()
  const sections: Section[] = []
  /** Runs one benchmark; a failure is written into its sections instead of losing the others. */
  const measure = async <T>(
    titles: string[],
    bench: () => Promise<T>,
    figures: (result: T) => BenchFigure[][],
  ): Promise<void> => {
    try {
      const result = figures(await bench())
      titles.forEach((title, i) => {
        sections.push({ title, figures: result[i] ?? [] })
      })
    } catch (error) {
      console.error(error)
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
      for (const title of titles) sections.push({ title, figures: [], error: message })
    }
  }
  const one = (title: string, bench: () => Promise<BenchFigure[]>) =>
    measure([title], bench, (f) => [f])

  if (run.has('client-mode') || run.has('workspace')) {
    const server = await startServer()
    try {
      if (run.has('client-mode'))
        await one('Client mode (headless Chromium, 768x1024)', () => clientModeBench(server))
      if (run.has('workspace'))
        await one('Practitioner workspace (headless Chromium, 1024x768)', () =>
          workspaceBench(server),
        )
    } finally {
      await server.cleanup()
    }
  }
  if (run.has('crypto')) {
    await one(
      'Encryption at rest, Node + fake-indexeddb (sealed and plain saves alternated in one run)',
      cryptoNodeBench,
    )
    await one(
      'Encryption at rest, Chromium + IndexedDB (headless, on-disk profile; sealed and plain saves alternated in one run)',
      cryptoChromiumBench,
    )
  }
  if (run.has('sync'))
    await one('Device sync over loopback HTTP (real server process, SQLite)', syncBench)
  if (run.has('server'))
    await one('Sync server (in process; SQLite, and PostgreSQL when reachable)', serverBench)
  if (run.has('reports')) {
    const sizes = reportSizes()
    await one(
      `Reports: ${sizes.map(sizeLabel).join(' and ')} forms, 20 per episode (in process, app.inject; SQLite, and PostgreSQL when reachable)`,
      () => reportScaleBench(sizes),
    )
  }
  if (run.has('growth')) {
    const sizes = growthSizes()
    await one(
      `Growth: push, pull and report at ${sizes.map(sizeLabel).join(', ')} forms (in process; a fresh database per size)`,
      () => growthBench(sizes),
    )
  }
  if (run.has('lighthouse'))
    await one(
      'Lighthouse 12.8.2 (mobile emulation, headless Chromium, real server process)',
      lighthouseBench,
    )
  if (run.has('remote-page'))
    await one(
      'Remote form page /r/ (the client’s own phone): its JS + CSS, and Lighthouse 12.8.2 mobile',
      remotePageBench,
    )
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
  const date = new Date().toISOString()
  clearInterval(sampler)
  loads.push(loadavg()[0] ?? 0)
  const mean = loads.reduce((a, b) => a + b, 0) / loads.length
  const load = `mean ${mean.toFixed(1)}, max ${Math.max(...loads).toFixed(1)} on ${cpus().length} cores (1-minute load average, sampled every 15 s)`
  writeFileSync(
    resolve(ROOT, 'docs/benchmarks.json'),
    `${JSON.stringify({ date, machine, load, sections }, null, 2)}\n`,
  )
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (do not edit by hand). Latencies are p50/p95 over n samples. Every ratio',
    'says in its note what it divides by what. The machine is shared with other work: the load average',
    'counts processes running or waiting for a core, so a load above the core count slows every figure.',
    '',
    `- Date: ${date}`,
    `- Machine: ${machine}`,
    `- Load average: ${load}`,
    '',
  ]
  for (const s of sections) {
    if (s.error) {
      lines.push(`## ${s.title}`, '', `**Failed:** ${s.error}`, '')
      continue
    }
    lines.push(
      `## ${s.title}`,
      '',
      '| figure | n | p50 | p95 | value | unit | note |',
      '|---|---|---|---|---|---|---|',
    )
    for (const f of s.figures) {
      lines.push(
        `| ${f.name} | ${f.n ?? ''} | ${fmt(f.p50)} | ${fmt(f.p95)} | ${fmt(f.value)} | ${f.unit} | ${f.note ?? ''} |`,
      )
    }
    lines.push('')
  }
  writeFileSync(resolve(ROOT, 'docs/benchmarks.md'), `${lines.join('\n')}\n`)
  console.log(lines.join('\n'))
  if (sections.some((s) => s.error)) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
