// The client's remote form page (/r/): what it loads (gzip, from the build, as the budget test
// counts it) and Lighthouse's mobile audit of a first visit (the short-code screen, which needs no
// link: the same bundle and first paint as a link's code screen).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Budget, measureDist, REMOTE_ENTRY } from './bundle-set.ts'
import { lighthouseBench } from './lighthouse-bench.ts'
import type { BenchFigure } from './stats.ts'

const ROOT = resolve(import.meta.dirname, '../..')

export async function remotePageBench(): Promise<BenchFigure[]> {
  const budget = JSON.parse(
    readFileSync(resolve(import.meta.dirname, 'bundle-budget.json'), 'utf8'),
  ) as Budget
  const { files } = measureDist(resolve(ROOT, 'dist'), REMOTE_ENTRY)
  const kib = (bytes: number) => (bytes / 1024).toFixed(1)
  const total = files.reduce((sum, f) => sum + f.gzipBytes, 0)
  return [
    {
      name: 'JS + CSS (gzip) the remote page loads',
      unit: 'KiB',
      value: total / 1024,
      note: `budget ${budget.remotePageMaxGzipKiB} KiB (tests/bench/bundle-budget.json); ${files.map((f) => `${f.file} ${kib(f.gzipBytes)}`).join(', ')}`,
    },
    ...(await lighthouseBench('/r/')),
  ]
}
