// The JS and CSS a cold start loads before the app runs (client mode included): the entry in
// dist/index.html and its static imports, from Vite's manifest, each with its gzip size.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export interface ManifestChunk {
  file: string
  name?: string
  src?: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
  css?: string[]
}
export type Manifest = Record<string, ManifestChunk>

export interface Budget {
  /** Most gzip KiB of JS + CSS loaded before client mode is interactive. */
  maxGzipKiB: number
}

export interface SizedFile {
  file: string
  gzipBytes: number
}

/** A string of chart.js's own (an error message): chart code inside a file, whatever its name. */
export const CHART_JS_MARK = 'Canvas is already in use'

/** Files of the entry and everything it imports statically; dynamic imports load later. */
export function startupFiles(manifest: Manifest): string[] {
  const entries = Object.keys(manifest).filter((key) => manifest[key]?.isEntry)
  if (entries.length !== 1) throw new Error(`expected one entry in the manifest: ${entries}`)
  const files = new Set<string>()
  const seen = new Set<string>()
  const visit = (key: string) => {
    if (seen.has(key)) return
    seen.add(key)
    const chunk = manifest[key]
    if (!chunk) throw new Error(`the manifest has no chunk ${key}`)
    files.add(chunk.file)
    for (const css of chunk.css ?? []) files.add(css)
    for (const next of chunk.imports ?? []) visit(next)
  }
  visit(entries[0] ?? '')
  return [...files].sort()
}

/** Chunks whose name or source says chart: the chart screen and chart.js. */
export function chartFiles(manifest: Manifest): string[] {
  return Object.entries(manifest)
    .filter(([key, c]) => /chart/i.test(`${key} ${c.name ?? ''} ${c.src ?? ''} ${c.file}`))
    .map(([, c]) => c.file)
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1)

/** Why the set breaks the budget, in words; empty when it keeps it. */
export function budgetProblems(
  files: readonly SizedFile[],
  charts: readonly string[],
  budget: Budget,
): string[] {
  const total = files.reduce((sum, f) => sum + f.gzipBytes, 0)
  const list = files.map((f) => `  ${f.file}: ${kib(f.gzipBytes)} KiB`).join('\n')
  const problems: string[] = []
  if (total > budget.maxGzipKiB * 1024) {
    problems.push(
      `JS + CSS loaded before client mode is interactive: ${kib(total)} KiB gzip, over the budget of ${budget.maxGzipKiB} KiB (tests/bench/bundle-budget.json):\n${list}`,
    )
  }
  const inSet = files.filter((f) => charts.includes(f.file))
  if (inSet.length > 0) {
    problems.push(
      `chart code is loaded before client mode is interactive (${inSet.map((f) => f.file).join(', ')}); it must stay behind its dynamic import:\n${list}`,
    )
  }
  return problems
}

/** Reads dist/: the startup files with their gzip sizes (level 9, as the bench measures). */
export function measureDist(dist: string): {
  files: SizedFile[]
  charts: string[]
  html: string
} {
  const manifestPath = join(dist, '.vite', 'manifest.json')
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} is missing: run "npm run build" first`)
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest
  const charts = chartFiles(manifest)
  const files = startupFiles(manifest).map((file) => {
    const body = readFileSync(join(dist, file))
    const hasChartJs = file.endsWith('.js') && body.includes(CHART_JS_MARK)
    if (hasChartJs && !charts.includes(file)) charts.push(file)
    return { file, gzipBytes: gzipSync(body, { level: 9 }).length }
  })
  return { files, charts, html: readFileSync(join(dist, 'index.html'), 'utf8') }
}
