import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { ClientScreen, ClientsScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const SHOTS = 'tests/e2e/screenshots'
const PIN = '2468'

/** The client page after a first session (ORS 23.0, SRS 35.0) and a second ORS of 22.3. */
describe('the client page: status with its reasons, charts with dates and legend (768x1024)', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let client: ClientScreen

  beforeAll(async () => {
    server = await startServer()
    browser = await launchChromium()
    context = await tabletContext(browser, TABLET_PORTRAIT)
    page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient('ST-1', 1980, PIN)
    client = new ClientScreen(page)
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.cleanup()
  })

  /** The client marks exact scores (by keyboard), presses Ferdig and hands the tablet back. */
  async function rate(form: 'ORS' | 'SRS', items: number[]) {
    const mode = await client.handOver({ pin: PIN, form })
    for (const [i, v] of items.entries()) await mode.setByKeyboard(i, v)
    await mode.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()
    await mode.leave(PIN)
    await page.getByRole('heading', { level: 1, name: 'Klient ST-1' }).waitFor()
  }

  const group = (name: string) =>
    page.locator('.status-reasons').filter({ has: page.getByRole('heading', { name }) })

  it('grey at the first session says why, and shows a low SRS beside it to act on now', async () => {
    await rate('ORS', [5.8, 5.7, 5.8, 5.7])
    await rate('SRS', [8.8, 8.7, 8.8, 8.7])
    const panel = page.locator('.status-panel')
    expect(await panel.getByRole('heading', { level: 2 }).innerText()).toContain('Grå')
    expect(await group('Grå fordi').innerText()).toContain('Første time: ingen trend ennå.')
    expect(await group('Ta opp nå').innerText()).toContain(
      'SRS 35,0 i time 1 er under grensen for samarbeid (36,0): snakk om samarbeidet.',
    )
    // Not a reason for grey.
    expect(await group('Grå fordi').innerText()).not.toContain('SRS')
    expect(await group('Merk også').innerText()).toContain(
      'Starter i klinisk område: ORS 23,0 i time 1 er under den kliniske grensen (25,0).',
    )
    await page.screenshot({ path: `${SHOTS}/client-status-grey-768x1024.png`, fullPage: true })
  })

  it('red after ORS 22.3 names the line it fell below, with its value at that session', async () => {
    await rate('ORS', [5.6, 5.6, 5.6, 5.5])
    const panel = page.locator('.status-panel')
    expect(await panel.getByRole('heading', { level: 2 }).innerText()).toContain('Rød')
    const red = await group('Rød fordi').innerText()
    expect(red).toContain(
      'ORS 22,3 i time 2 er under risikolinjen for forventet forløp i den timen (22,5).',
    )
    expect(red).toContain('SRS 35,0 i time 1 er under grensen for samarbeid (36,0)')
    expect(await group('Ta opp nå').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/client-status-red-768x1024.png`, fullPage: true })
  })

  it('the ORS chart shows dates under the session numbers and its markers in the legend', async () => {
    const drawn = page.locator('#chart-outcome-drawn')
    await page.locator('#chart-outcome').waitFor()
    await expect.poll(() => drawn.textContent()).toContain('Forklaring: Sum')
    const today = new Intl.DateTimeFormat('nb-NO', { day: 'numeric', month: 'short' }).format(
      new Date(),
    )
    const text = (await drawn.textContent()) ?? ''
    expect(text).toContain(`Timer (dato): 1 ${today}, 2 ${today}, 3`)
    expect(text).toMatch(/Forklaring: Sum, .*Mållinje.*Risikolinje.*Klinisk grense \(25,0\)/)
    expect(await page.locator('#chart-session-drawn').textContent()).toContain(
      'Varsel om samarbeidet',
    )
    await page.locator('#chart-outcome').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/client-charts-768x1024.png` })
  })

  it('"Vis som tabell" is a button that opens the table with the dates', async () => {
    const button = page.getByRole('button', { name: 'Vis som tabell' }).first()
    expect(await button.getAttribute('aria-expanded')).toBe('false')
    await button.click()
    const open = page.getByRole('button', { name: 'Skjul tabellen' }).first()
    expect(await open.getAttribute('aria-expanded')).toBe('true')
    const rows = await page.locator('.chart-table').first().locator('tbody tr').allInnerTexts()
    expect(rows).toHaveLength(2)
    expect(rows[1]).toMatch(/^2\s+\d+\. \S+ \d{4}\s+22,3/)
  })

  it('turned to landscape and back, the charts fit the portrait screen again', async () => {
    const canvas = page.locator('#chart-outcome')
    const width = async () => (await canvas.boundingBox())?.width ?? 0
    const portrait = await width()
    await page.setViewportSize(TABLET_LANDSCAPE)
    await expect.poll(width).toBeGreaterThan(portrait)
    await page.setViewportSize(TABLET_PORTRAIT)
    await expect.poll(width).toBeLessThanOrEqual(portrait)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      TABLET_PORTRAIT.width,
    )
  })

  it('a screen reader hears "Historikk" once', async () => {
    const tree = await page.locator('main').ariaSnapshot()
    const heard = tree
      .split('\n')
      .filter((line) => line.includes('Historikk'))
      .map((line) => line.trim())
    expect(heard).toEqual(['- heading "Historikk" [level=2]'])
  })
})
