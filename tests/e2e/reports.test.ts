import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import { launchChromium, TABLET_LANDSCAPE, tabletContext } from './support/browser.ts'
import { choosePinIfAsked, unlockIfLocked } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '8642'

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(page.url().replace(/\/[^/]*$/, '/account'))
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill('linja-demo-2026')
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.getByText(/Logget inn som/).waitFor()
  await choosePinIfAsked(page, PIN)
}

describe('reports in the app (demo organisation)', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD, LINJA_DEMO: '1' })
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

  it("a leader's report hides small groups, shows n, exports CSV, and never shows a client", async () => {
    context = await tabletContext(browser, TABLET_LANDSCAPE, { acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(`${server.url}/account`)
    await signIn(page, 'lars')
    await page.getByRole('link', { name: 'Rapporter' }).click()
    await page.getByRole('combobox', { name: 'Periode' }).selectOption('year')
    const compare = page.locator('table.compare tbody tr')
    await expect.poll(() => compare.count()).toBeGreaterThanOrEqual(2)
    const rows = await compare.allInnerTexts()
    const barnevern = rows.find((r) => r.startsWith('Barnevern')) ?? ''
    const psyk = rows.find((r) => r.startsWith('Psykisk')) ?? ''
    // Two clients in Barnevern: hidden. Six in Psykisk helse og rus: shown with n.
    expect(barnevern).toMatch(/^Barnevern(\tskjult)+$/)
    expect(psyk).toMatch(/^Psykisk[^\n]*\t6 n \d+/)

    await page
      .getByRole('combobox', { name: 'Enhet', exact: true })
      .selectOption({ label: 'Psykisk helse og rus' })
    await page.getByRole('button', { name: 'Vis rapport' }).click()
    await page.locator('table.trend tbody tr').first().waitFor()
    const trend = await page.locator('table.trend tbody tr').allInnerTexts()
    expect(trend.at(-1)).toMatch(/^\d{4}\t6 n \d+/)
    // The first year holds no episodes of the unit: no data, which is not the same as hidden.
    expect(trend[0]).toContain('ingen data')
    expect(trend[0]).not.toContain('skjult')
    await page.locator('table.aggregates').waitFor()

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned CSV' }).click(),
    ])
    const text = readFileSync((await csv.path()) as string, 'utf8')
    expect(text.split('\n')[0]).toContain('figure')
    expect(text).not.toMatch(/PH-0\d/)

    // Aggregates only: no client records reach a leader's tablet.
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('Ingen klienter på dette nettbrettet ennå.').waitFor()
  })

  it('a practitioner has no reports and is refused if they go there', async () => {
    context = await tabletContext(browser, TABLET_LANDSCAPE)
    const page = await context.newPage()
    await page.goto(`${server.url}/account`)
    await signIn(page, 'pia')
    expect(await page.getByRole('link', { name: 'Rapporter' }).count()).toBe(0)
    await page.goto(`${server.url}/reports`)
    await unlockIfLocked(page, PIN)
    await page.getByText('Denne siden er for enhetsledere og administrator.').waitFor()
  })
})
