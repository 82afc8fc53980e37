// Practitioner workspace in headless Chromium: time to render the client list with 500 clients
// and a client's charts with 100 sessions, from navigation to the content on screen.
import { launchChromium, TABLET_LANDSCAPE, tabletContext } from '../e2e/support/browser.ts'
import { ClientsScreen, LockScreen } from '../e2e/support/pages.ts'
import type { ServerProcess } from '../e2e/support/server-process.ts'
import { buildSeed, writeSeed } from './seed-device.ts'
import { type BenchFigure, quantile } from './stats.ts'

const RUNS = 7
const PIN = '2468'

export async function workspaceBench(server: ServerProcess): Promise<BenchFigure[]> {
  const browser = await launchChromium()
  try {
    // 500 clients with 4 sessions each (4,000 records), then one client with 100 sessions.
    const context = await tabletContext(browser, TABLET_LANDSCAPE)
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('heading', { level: 1 }).waitFor()
    await writeSeed(page, buildSeed(500, 4, 7))
    const long = buildSeed(1, 100, 11)
    const longId = long.clients[0]?.id
    if (!longId) throw new Error('no seed client')
    long.clients[0] = {
      ...long.clients[0],
      code: 'LONG-100',
      codeSearch: 'long-100',
    } as (typeof long.clients)[0]
    await writeSeed(page, long)
    // The seed is written as plain rows; the tablet's first PIN seals them all (as an upgrade
    // from the release before encryption does), so the list below is read and decrypted.
    await page.goto(server.url)
    await new ClientsScreen(page).choosePinIfFirstUse(PIN)

    const listTimes: number[] = []
    const chartTimes: number[] = []
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${server.url}/settings`)
      await new LockScreen(page).unlock(PIN)
      await page.getByRole('heading', { level: 1 }).waitFor()
      const t0 = await page.evaluate(() => performance.now())
      await page.getByRole('link', { name: 'Klienter' }).first().click()
      await page.waitForFunction(
        () => document.querySelectorAll('.client-table tbody tr').length === 501,
      )
      listTimes.push((await page.evaluate(() => performance.now())) - t0)

      await page.goto(`${server.url}/settings`)
      await new LockScreen(page).unlock(PIN)
      await page.getByRole('heading', { level: 1 }).waitFor()
      const t1 = await page.evaluate(() => performance.now())
      await page.evaluate((id) => {
        history.pushState(null, '', `/clients/${id}`)
        dispatchEvent(new PopStateEvent('popstate'))
      }, longId)
      await page.locator('#chart-outcome').waitFor()
      await page.locator('#chart-session').waitFor()
      // Two frames: the charts have drawn.
      await page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      )
      chartTimes.push((await page.evaluate(() => performance.now())) - t1)
    }
    await context.close()
    return [
      {
        name: 'Client list, 500 clients (4,000 records): navigation to rows on screen',
        unit: 'ms',
        n: RUNS,
        p50: quantile(listTimes, 0.5),
        p95: quantile(listTimes, 0.95),
      },
      {
        name: 'Client page, 100 sessions (200 records): navigation to both charts drawn',
        unit: 'ms',
        n: RUNS,
        p50: quantile(chartTimes, 0.5),
        p95: quantile(chartTimes, 0.95),
      },
    ]
  } finally {
    await browser.close()
  }
}
