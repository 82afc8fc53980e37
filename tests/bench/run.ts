// `npm run bench`: runs every benchmark and writes docs/benchmarks.json and docs/benchmarks.md.
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { resolve } from 'node:path'
import { startServer } from '../e2e/support/server-process.ts'
import { clientModeBench } from './client-mode-bench.ts'
import { serverBench } from './server-bench.ts'
import type { BenchFigure } from './stats.ts'
import { syncBench } from './sync-bench.ts'
import { workspaceBench } from './workspace-bench.ts'

const ROOT = resolve(import.meta.dirname, '../..')

function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return ''
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}

async function main(): Promise<void> {
  const sections: { title: string; figures: BenchFigure[] }[] = []
  const server = await startServer()
  try {
    sections.push({
      title: 'Client mode (headless Chromium, 768x1024)',
      figures: await clientModeBench(server),
    })
    sections.push({
      title: 'Practitioner workspace (headless Chromium, 1024x768)',
      figures: await workspaceBench(server),
    })
  } finally {
    await server.cleanup()
  }
  sections.push({
    title: 'Device sync over loopback HTTP (real server process, SQLite)',
    figures: await syncBench(),
  })
  sections.push({
    title: 'Sync server (in process; SQLite, and PostgreSQL when reachable)',
    figures: await serverBench(),
  })
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
  const date = new Date().toISOString()
  writeFileSync(
    resolve(ROOT, 'docs/benchmarks.json'),
    `${JSON.stringify({ date, machine, sections }, null, 2)}\n`,
  )
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (do not edit by hand). Latencies are p50/p95 over n samples.',
    '',
    `- Date: ${date}`,
    `- Machine: ${machine}`,
    '',
  ]
  for (const s of sections) {
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
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
