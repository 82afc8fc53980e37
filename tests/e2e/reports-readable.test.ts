import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import {
  AccountScreen,
  choosePinIfAsked,
  ReportsScreen,
  sidewaysOverflow,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const DEMO_PASSWORD = 'linja-demo-2026'
const PIN = '8642'
const SHOTS = process.env.LINJA_SHOTS
const VIEWPORTS = [
  ['768x1024', TABLET_PORTRAIT],
  ['1024x768', TABLET_LANDSCAPE],
] as const

/** A wide table scrolls in its own box, and its first column stays put while it does. */
async function scrollsInOwnBox(table: Locator) {
  return table.evaluate((el) => {
    const box = el.closest('.table-wrap') as HTMLElement
    const first = el.querySelector('tbody th') as HTMLElement
    const fits = el.scrollWidth <= box.clientWidth
    const before = first.getBoundingClientRect().left
    box.scrollLeft = box.scrollWidth
    const after = first.getBoundingClientRect().left
    const last = el.querySelector('thead th:last-child') as HTMLElement
    const lastVisible = last.getBoundingClientRect().right <= box.getBoundingClientRect().right + 1
    box.scrollLeft = 0
    return { fits, firstStays: Math.abs(after - before) < 1, lastVisible }
  })
}

describe('reports a leader can read (demo organisation, tablet sizes)', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    server = await startServer({
      LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LINJA_DEMO: '1',
      LINJA_LOGIN_RATE_LIMIT: '1000',
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })
  afterEach(async () => {
    await context?.close()
    context = undefined
  })

  async function tablet(viewport: { width: number; height: number }, lang = 'nb') {
    context = await tabletContext(browser, viewport)
    await context.addInitScript((locale) => {
      if (!localStorage.getItem('linja.ui'))
        localStorage.setItem('linja.ui', JSON.stringify({ state: { locale }, version: 0 }))
    }, lang)
    const page = await context.newPage()
    await page.goto(server.url)
    return page
  }

  async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
    await new AccountScreen(page).signIn(username, password, PIN)
    await choosePinIfAsked(page, PIN)
  }

  it.each(VIEWPORTS)(
    'nb at %s: hidden is not "no data", one legend explains both, periods by name, tables fit, the disabled button says what it needs',
    async (size, viewport) => {
      const page = await tablet(viewport)
      await signIn(page, 'lars')
      await page.getByRole('link', { name: 'Rapporter' }).click()
      const reports = new ReportsScreen(page)

      // A leader must choose a unit first, and the button says so.
      const show = reports.showButton()
      expect(await show.isDisabled()).toBe(true)
      const hintId = await show.getAttribute('aria-describedby')
      expect(hintId).not.toBeNull()
      expect(await page.locator(`#${hintId}`).innerText()).toBe(
        'Velg en enhet for å vise rapporten eller laste den ned.',
      )

      await reports.choose({ period: 'year' })
      await expect.poll(() => reports.compareRows().count()).toBeGreaterThanOrEqual(2)
      // Barnevern has two clients this year: every figure is hidden, and says only that (no "n 0").
      // Polled: until the year's answer arrives, the rows shown are the default period's.
      const barnevern = reports.compareRows().filter({ hasText: /^Barnevern/ })
      await expect
        .poll(() => barnevern.locator('td').allInnerTexts())
        .toEqual(Array(7).fill('skjult'))
      // One legend says what "skjult" and "–" mean.
      const legend = page.getByRole('figure', { name: 'Tegnforklaring' })
      expect(await legend.innerText()).toMatch(/skjult\s+færre enn 5 klienter/)
      expect(await legend.innerText()).toMatch(/–\s+ingen data/)

      // While the next period's answer is on its way, the year's figures are marked busy (dimmed,
      // and so announced), not shown as if they were the new period's. And an answer that comes
      // late (the quarter's, after the year was chosen again) does not replace the newer one.
      const results = page.locator('.report-results')
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      let compares = 0
      await page.route('**/api/reports/compare*', async (route) => {
        compares += 1
        if (compares === 1) await held
        await route.continue()
      })
      await reports.choose({ period: 'quarter' })
      await expect.poll(() => results.getAttribute('aria-busy')).toBe('true')
      expect(await results.evaluate((e) => getComputedStyle(e).opacity)).toBe('0.45')
      await reports.choose({ period: 'year' })
      await expect.poll(() => results.getAttribute('aria-busy')).toBe('false')
      const late = page.waitForResponse((r) =>
        r.url().includes('/api/reports/compare?period=quarter'),
      )
      release()
      await late
      await page.waitForTimeout(300)
      expect(await barnevern.locator('td').allInnerTexts()).toEqual(Array(7).fill('skjult'))
      await page.unroute('**/api/reports/compare*')

      await reports.choose({ unit: 'Psykisk helse og rus', period: 'month' })
      await reports.show()
      const months = await reports.rowNames(reports.trendRows())
      expect(months.length).toBeGreaterThan(3)
      for (const m of months)
        expect(m).toMatch(/^(jan|feb|mars|apr|mai|juni|juli|aug|sep|okt|nov|des)\.? \d{4}$/)
      await reports.choose({ period: 'quarter' })
      await reports.show()
      for (const q of await reports.rowNames(reports.trendRows()))
        expect(q).toMatch(/^[1-4]\. kvartal \d{4}$/)

      // Nothing sticks out of the screen; the wide tables scroll in their own box.
      expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
      for (const table of [page.locator('table.trend'), page.locator('table.compare')]) {
        const fit = await scrollsInOwnBox(table)
        expect(fit.fits || (fit.firstStays && fit.lastVisible)).toBe(true)
        expect(fit.firstStays).toBe(true)
      }
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-nb-${size}.png`, fullPage: true })
      expect(await seriousViolations(page)).toEqual([])
    },
    120_000,
  )

  it("the administrator: the organisation row in the reader's language (nb and en), quarters and months in English", async () => {
    let page = await tablet(TABLET_LANDSCAPE)
    await signIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('link', { name: 'Rapporter' }).click()
    const reports = new ReportsScreen(page)
    await reports.trendRows().first().waitFor()
    await expect.poll(() => reports.compareRows().count()).toBeGreaterThanOrEqual(2)
    const names = await reports.rowNames(reports.compareRows())
    expect(names).toContain('Hele organisasjonen')
    expect(names).not.toContain('Organisation')
    await context?.close()

    page = await tablet(TABLET_PORTRAIT, 'en')
    await signIn(page, 'admin', ADMIN_PASSWORD)
    await page.getByRole('link', { name: 'Reports' }).click()
    const en = new ReportsScreen(page)
    await en.trendRows().first().waitFor()
    await expect.poll(() => en.rowNames(en.compareRows())).toContain('The whole organisation')
    for (const q of await en.rowNames(en.trendRows())) expect(q).toMatch(/^Q[1-4] \d{4}$/)
    await en.choose({ period: 'month' })
    await en.show()
    for (const m of await en.rowNames(en.trendRows())) expect(m).toMatch(/^[A-Z][a-z]{2,3} \d{4}$/)
    const legend = page.getByRole('figure', { name: 'Key' })
    expect(await legend.innerText()).toMatch(/hidden\s+fewer than 5 clients/)
    expect(await page.locator('main').innerText()).not.toMatch(/skjult|Organisation\b/)
    expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/reports-en-768x1024.png`, fullPage: true })
  }, 120_000)

  it.each(VIEWPORTS)(
    'supervision at %s: an effect size from few episodes is flagged as uncertain',
    async (size, viewport) => {
      const page = await tablet(viewport)
      await signIn(page, 'vera')
      await page.getByRole('link', { name: 'Veiledning' }).click()
      const first = page.locator('section.supervisee').first()
      await first.getByRole('button', { name: 'Vis nøkkeltall' }).click()
      const figures = first.locator('table.aggregates')
      await figures.waitFor()
      const effect = figures.getByRole('row', { name: /^Effektstørrelse \(før–etter\)/ })
      expect(await effect.innerText()).toMatch(/\d,\d\d \(usikkert: få forløp\)/)
      await first.getByText(/bygger på færre enn 30 forløp/).waitFor()
      expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
      if (SHOTS)
        await page.screenshot({ path: `${SHOTS}/supervision-nb-${size}.png`, fullPage: true })
    },
    120_000,
  )
})
