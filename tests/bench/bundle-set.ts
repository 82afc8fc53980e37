// The JS and CSS a cold start loads before the app runs (client mode included): the entry in
// dist/index.html and its static imports, from Vite's manifest, each with its gzip size. The same
// for the client's remote form page (dist/r/index.html), which has a budget of its own.
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
  /** Most gzip KiB of JS + CSS the remote page (/r/) loads: all of it, on a client's phone. */
  remotePageMaxGzipKiB: number
}

/** Manifest keys of the two pages (paths relative to Vite's root, src/). */
export const APP_ENTRY = 'index.html'
export const REMOTE_ENTRY = 'r/index.html'

export interface SizedFile {
  file: string
  gzipBytes: number
}

/** A string of chart.js's own (an error message): chart code inside a file, whatever its name. */
export const CHART_JS_MARK = 'Canvas is already in use'

/** Files of the entry and everything it imports statically; dynamic imports load later. */
export function startupFiles(manifest: Manifest, entry = APP_ENTRY): string[] {
  if (!manifest[entry]?.isEntry) throw new Error(`the manifest has no entry ${entry}`)
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
  visit(entry)
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

export function readManifest(dist: string): Manifest {
  const manifestPath = join(dist, '.vite', 'manifest.json')
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} is missing: run "npm run build" first`)
  }
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest
}

/** Reads dist/: the startup files with their gzip sizes (level 9, as the bench measures). */
export function measureDist(
  dist: string,
  entry = APP_ENTRY,
): {
  files: SizedFile[]
  charts: string[]
  html: string
} {
  const manifest = readManifest(dist)
  const charts = chartFiles(manifest)
  const files = startupFiles(manifest, entry).map((file) => {
    const body = readFileSync(join(dist, file))
    const hasChartJs = file.endsWith('.js') && body.includes(CHART_JS_MARK)
    if (hasChartJs && !charts.includes(file)) charts.push(file)
    return { file, gzipBytes: gzipSync(body, { level: 9 }).length }
  })
  return { files, charts, html: readFileSync(join(dist, entry), 'utf8') }
}

/**
 * Strings only the practitioner app's libraries carry (error messages, React's element symbol):
 * any of them in the remote page's files means the page loads part of the app.
 */
export const APP_LIBRARY_MARKS: Record<string, string> = {
  React: 'react.transitional.element',
  Dexie: 'DatabaseClosedError',
  i18next: 'i18next:',
  'chart.js': CHART_JS_MARK,
}

/** Why the remote page breaks its budget or loads the app's libraries, in words; empty when not. */
export function remotePageProblems(
  files: readonly SizedFile[],
  bodies: ReadonlyMap<string, string>,
  budget: Budget,
): string[] {
  const total = files.reduce((sum, f) => sum + f.gzipBytes, 0)
  const list = files.map((f) => `  ${f.file}: ${kib(f.gzipBytes)} KiB`).join('\n')
  const problems: string[] = []
  if (total > budget.remotePageMaxGzipKiB * 1024) {
    problems.push(
      `JS + CSS of the remote page (/r/): ${kib(total)} KiB gzip, over its budget of ${budget.remotePageMaxGzipKiB} KiB (tests/bench/bundle-budget.json):\n${list}`,
    )
  }
  for (const [library, mark] of Object.entries(APP_LIBRARY_MARKS)) {
    const holders = [...bodies].filter(([, body]) => body.includes(mark)).map(([file]) => file)
    if (holders.length > 0) {
      problems.push(`the remote page loads ${library} (${holders.join(', ')}); it must stay out`)
    }
  }
  return problems
}
