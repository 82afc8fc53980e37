// Client-mode benchmarks in headless Chromium against the real server: mark save latency,
// pointer-move to painted frame, and the JS/CSS loaded before client mode is interactive.
import { gzipSync } from 'node:zlib'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from '../e2e/support/browser.ts'
import { ClientScreen, ClientsScreen, LockScreen } from '../e2e/support/pages.ts'
import type { ServerProcess } from '../e2e/support/server-process.ts'
import { type BenchFigure, quantile } from './stats.ts'

const MARKS = 200

export async function clientModeBench(server: ServerProcess): Promise<BenchFigure[]> {
  const browser = await launchChromium()
  try {
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient('BENCH-1', 1980)
    const mode = await new ClientScreen(page).handOver({ pin: '2468' })

    // 1. pointer-up -> committed IndexedDB write (the store marks the commit).
    await page.evaluate(() => {
      const w = window as unknown as { __ups: number[] }
      w.__ups = []
      window.addEventListener('pointerup', () => w.__ups.push(performance.now()), true)
      performance.clearMarks('linja:mark-committed')
    })
    for (let i = 0; i < MARKS; i++) {
      const fraction = ((i * 37) % 100) / 100 + 0.005
      await mode.clickAt(i % 4, fraction)
      await page.waitForFunction(
        (n) => performance.getEntriesByName('linja:mark-committed').length >= n,
        i + 1,
      )
    }
    const saveLatencies = await page.evaluate(() => {
      const ups = (window as unknown as { __ups: number[] }).__ups
      const commits = performance.getEntriesByName('linja:mark-committed').map((e) => e.startTime)
      return ups.map((u, i) => (commits[i] ?? Number.NaN) - u)
    })

    // 2. pointer-move -> the frame that paints the moved mark.
    const box = await mode.slider(0).boundingBox()
    if (!box) throw new Error('no slider')
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[] }
      w.__frames = []
      window.addEventListener(
        'pointermove',
        (e) => {
          const t0 = e.timeStamp
          requestAnimationFrame((frame) => w.__frames.push(frame - t0))
        },
        true,
      )
    })
    const y = box.y + box.height / 2
    await page.mouse.move(box.x + 5, y)
    await page.mouse.down()
    for (let i = 0; i < 200; i++) {
      await page.mouse.move(box.x + 5 + ((box.width - 10) * (i % 50)) / 50, y)
    }
    await page.mouse.up()
    const frames = await page.evaluate(() => (window as unknown as { __frames: number[] }).__frames)
    await context.close()

    // 3. JS + CSS needed before client mode is interactive: a cold load of client mode.
    const cold = await tabletContext(browser, TABLET_PORTRAIT)
    const coldPage = await cold.newPage()
    await coldPage.goto(server.url)
    await new ClientsScreen(coldPage).createClient('BENCH-2', 1980)
    await new ClientScreen(coldPage).handOver({ pin: '2468' })
    const assets: { url: string; gzip: number }[] = []
    coldPage.on('response', async (res) => {
      const url = res.url()
      if (/\.(js|css)(\?|$)/.test(url) && !url.includes('/sw.js') && !url.includes('workbox')) {
        const body = await res.body().catch(() => Buffer.alloc(0))
        assets.push({ url, gzip: gzipSync(body, { level: 9 }).length })
      }
    })
    await coldPage.reload()
    // A reload drops the key from memory: client mode comes back behind the PIN.
    await new LockScreen(coldPage).unlock('2468')
    await coldPage.getByRole('slider').first().waitFor()
    await coldPage.waitForLoadState('networkidle')
    const charts = assets.filter((a) => /chart/i.test(a.url))
    await cold.close()
    const totalKb = assets.reduce((s, a) => s + a.gzip, 0) / 1024

    return [
      {
        name: 'Pointer-up to committed IndexedDB write',
        unit: 'ms',
        n: saveLatencies.length,
        p50: quantile(saveLatencies, 0.5),
        p95: quantile(saveLatencies, 0.95),
      },
      {
        name: 'Pointer-move to next painted frame',
        unit: 'ms',
        n: frames.length,
        p50: quantile(frames, 0.5),
        p95: quantile(frames, 0.95),
      },
      {
        name: 'JS + CSS (gzip) loaded before client mode is interactive',
        unit: 'KiB',
        value: totalKb,
        note: `${assets.length} files; chart code among them: ${charts.length === 0 ? 'no' : 'YES'}`,
      },
    ]
  } finally {
    await browser.close()
  }
}
