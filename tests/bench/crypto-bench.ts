// Cost of encryption at rest: PIN unlock (PBKDF2 at the app's iteration count) and the added cost per saved mark, sealed vs plain, in the same run;
// once in Node with fake-indexeddb, once in Debian Chromium with its real IndexedDB (tests/bench/crypto-page, built by Vite).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { chromium } from 'playwright-core'
import { build, preview } from 'vite'
import { KDF_ITERATIONS } from '../../src/storage/crypto.ts'
import { openLinjaDb } from '../../src/storage/index.ts'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/browser.ts'
import type { CryptoBenchWindow } from './crypto-page/main.ts'
import { type CryptoTimings, timeCrypto } from './crypto-timing.ts'
import { type BenchFigure, quantile } from './stats.ts'

const PAGE_ROOT = resolve(import.meta.dirname, 'crypto-page')

function figures(t: CryptoTimings, where: string): BenchFigure[] {
  const p95 = (xs: number[]) => quantile(xs, 0.95)
  const latency = (xs: number[]) => ({
    unit: 'ms',
    n: xs.length,
    p50: quantile(xs, 0.5),
    p95: p95(xs),
  })
  return [
    {
      name: `PIN unlock (PBKDF2-SHA-256, ${KDF_ITERATIONS} iterations, then HKDF)`,
      ...latency(t.unlocks),
      note: where,
    },
    { name: 'saveMark, plain rows', ...latency(t.plain) },
    { name: 'saveMark, sealed rows (AES-GCM, optimistic write)', ...latency(t.sealed) },
    {
      name: 'Added cost per saved mark (p95 sealed − p95 plain)',
      unit: 'ms',
      value: p95(t.sealed) - p95(t.plain),
      note: `p50 sealed − p50 plain: ${(quantile(t.sealed, 0.5) - quantile(t.plain, 0.5)).toFixed(2)} ms`,
    },
    {
      name: 'Sealed / plain saveMark (p95 sealed ÷ p95 plain)',
      unit: '×',
      value: p95(t.sealed) / p95(t.plain),
      note: 'same run, saves alternated between the two databases',
    },
  ]
}

export async function cryptoNodeBench(): Promise<BenchFigure[]> {
  const timings = await timeCrypto((name) =>
    openLinjaDb(name, { indexedDB: new IDBFactory(), IDBKeyRange }),
  )
  return figures(
    timings,
    'Node Web Crypto and fake-indexeddb (in memory); the Chromium section is where the app runs',
  )
}

/**
 * The bench page, built by Vite (minified like the app) and served on loopback: Web Crypto needs a
 * secure context, and cross-origin isolation gives performance.now() 5 µs steps instead of 100 µs.
 * The browser profile is on disk: Playwright's newContext() is off the record, and there Chromium
 * keeps IndexedDB in memory, which is not what a tablet does.
 */
export async function cryptoChromiumBench(): Promise<BenchFigure[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'linja-crypto-bench-'))
  const outDir = join(tmp, 'dist')
  try {
    const shared = {
      configFile: false,
      root: PAGE_ROOT,
      logLevel: 'silent',
      cacheDir: join(tmp, 'vite'),
    } as const
    await build({ ...shared, build: { outDir, emptyOutDir: true } })
    const server = await preview({
      ...shared,
      build: { outDir },
      preview: {
        host: '127.0.0.1',
        port: 0,
        open: false,
        headers: {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        },
      },
    })
    try {
      const url = server.resolvedUrls?.local[0]
      if (!url) throw new Error('vite preview gave no local URL')
      const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      })
      try {
        const page = context.pages()[0] ?? (await context.newPage())
        await page.goto(url)
        await page.waitForFunction(() => 'linjaCryptoBench' in window)
        const isolated = await page.evaluate(() => isSecureContext && crossOriginIsolated)
        if (!isolated)
          throw new Error('the bench page is not a cross-origin isolated secure context')
        const timings = await page.evaluate(() =>
          (window as unknown as CryptoBenchWindow).linjaCryptoBench(),
        )
        return figures(
          timings,
          `Debian Chromium ${context.browser()?.version() ?? ''} headless, IndexedDB in an on-disk profile, this machine's CPU; a tablet is slower`,
        )
      } finally {
        await context.close()
      }
    } finally {
      await server.close()
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await cryptoNodeBench())
  console.table(await cryptoChromiumBench())
}
