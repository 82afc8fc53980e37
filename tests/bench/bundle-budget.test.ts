// The bundle-size gate: runs on the build `npm test` has just made (dist/).
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  type Budget,
  budgetProblems,
  chartFiles,
  type Manifest,
  measureDist,
  REMOTE_ENTRY,
  remotePageProblems,
  startupFiles,
} from './bundle-set.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const budget = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'bundle-budget.json'), 'utf8'),
) as Budget

describe('bundle-size budget', () => {
  it('the JS + CSS loaded before client mode is interactive stays within the budget and holds no chart code', () => {
    const { files, charts, html } = measureDist(resolve(ROOT, 'dist'))
    // The set is what index.html loads: its script and stylesheet are in it.
    for (const tag of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) {
      expect(
        files.map((f) => f.file),
        'index.html loads a file the manifest does not list',
      ).toContain(tag[1])
    }
    // Without a chart chunk the check below would be empty: the charts must be split off.
    expect(charts.length, 'the build has no chart chunk').toBeGreaterThan(0)
    const problems = budgetProblems(files, charts, budget)
    expect(problems, problems.join('\n\n')).toEqual([])
  })

  it("the remote page (/r/) stays within its own budget, loads none of the app's libraries and is not precached", () => {
    const dist = resolve(ROOT, 'dist')
    const { files, html } = measureDist(dist, REMOTE_ENTRY)
    for (const tag of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) {
      expect(
        files.map((f) => f.file),
        'r/index.html loads a file the manifest does not list',
      ).toContain(tag[1])
    }
    // Not installable as the app: the page carries no web manifest.
    expect(html).not.toContain('rel="manifest"')
    const bodies = new Map(files.map((f) => [f.file, readFileSync(join(dist, f.file), 'utf8')]))
    const problems = remotePageProblems(files, bodies, budget)
    expect(problems, problems.join('\n\n')).toEqual([])
    // The service worker neither stores the page nor answers its address with the app's shell.
    const sw = readFileSync(join(dist, 'sw.js'), 'utf8')
    const app = new Set(measureDist(dist).files.map((f) => f.file))
    for (const file of ['r/index.html', ...files.map((f) => f.file).filter((f) => !app.has(f))]) {
      expect(sw, `${file} is precached`).not.toContain(`"${file}"`)
    }
    expect(sw).toContain('denylist:[/^\\/api\\//,/^\\/r\\//]')
  })

  it("names the remote page's files when it is over its budget or loads an app library", () => {
    const files = [
      { file: 'assets/remote.js', gzipBytes: 40 * 1024 },
      { file: 'assets/jsx-runtime.js', gzipBytes: 57 * 1024 },
    ]
    const bodies = new Map([
      ['assets/remote.js', 'small'],
      ['assets/jsx-runtime.js', 'Symbol.for("react.transitional.element")'],
    ])
    const problems = remotePageProblems(files, bodies, {
      maxGzipKiB: 203,
      remotePageMaxGzipKiB: 60,
    })
    expect(problems).toHaveLength(2)
    expect(problems[0]).toContain('97.0 KiB gzip, over its budget of 60 KiB')
    expect(problems[1]).toContain('loads React (assets/jsx-runtime.js)')
  })

  it('names the files when the set is over the budget or pulls in a chart chunk', () => {
    const manifest: Manifest = {
      'index.html': {
        file: 'assets/index.js',
        isEntry: true,
        imports: ['_vendor.js'],
        dynamicImports: ['ui/charts/ClientCharts.tsx'],
        css: ['assets/index.css'],
      },
      '_vendor.js': { file: 'assets/vendor.js', imports: ['_chart.js'] },
      '_chart.js': { file: 'assets/chart.js', name: 'chart' },
      'ui/charts/ClientCharts.tsx': { file: 'assets/ClientCharts.js', isDynamicEntry: true },
    }
    const files = startupFiles(manifest)
    expect(files).toEqual([
      'assets/chart.js',
      'assets/index.css',
      'assets/index.js',
      'assets/vendor.js',
    ])
    const sized = files.map((file) => ({ file, gzipBytes: 50 * 1024 }))
    const problems = budgetProblems(sized, chartFiles(manifest), {
      maxGzipKiB: 150,
      remotePageMaxGzipKiB: 60,
    })
    expect(problems).toHaveLength(2)
    expect(problems[0]).toContain('200.0 KiB gzip, over the budget of 150 KiB')
    expect(problems[0]).toContain('assets/vendor.js: 50.0 KiB')
    expect(problems[1]).toContain('chart code is loaded before client mode is interactive')
    expect(problems[1]).toContain('assets/chart.js')
  })
})
