import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPractitioner } from './support/api.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import { ClientsScreen, sidewaysOverflow } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '2468'
const SHOTS = process.env.LINJA_SHOTS

describe('smaller things at tablet size', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
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

  it('at 768x1024 "Annuller" in a client\'s history is on screen', async () => {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient('WIDE-1', 1990, PIN)
    await page.getByRole('link', { name: /papir eller telefon/ }).click()
    await page.locator('.typed-items input').first().waitFor()
    for (const field of await page.locator('.typed-items input').all()) await field.fill('5,5')
    await page.getByRole('button', { name: 'Lagre' }).click()
    const annuller = page.getByRole('button', { name: 'Annuller', exact: true })
    await annuller.waitFor()
    const box = await annuller.boundingBox()
    const wrap = await annuller.evaluate((el) =>
      (el.closest('.table-wrap') as HTMLElement).getBoundingClientRect(),
    )
    expect(box && box.x + box.width <= Math.min(wrap.right, 768)).toBe(true)
    expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/client-history-nb-768x1024.png` })
  }, 120_000)

  it('changing the PIN in Innstillinger after signing in says it was saved', async () => {
    await createPractitioner(server.url, 'ola', 'ola-password-123')
    context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(`${server.url}/account`)
    await page.getByLabel('Brukernavn').fill('ola')
    await page.getByLabel('Passord').fill('ola-password-123')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByLabel('Ny PIN-kode (4–8 sifre)').fill(PIN)
    await page.getByLabel('Gjenta PIN-koden').fill(PIN)
    await page.getByRole('button', { name: 'Lagre PIN-kode' }).click()
    // The PIN chosen at sign-in (issue 13.1) is changed later in Innstillinger, with a confirmation.
    await page.getByLabel('Ny PIN-kode (4–8 sifre)').waitFor({ state: 'detached' })
    await page.getByRole('link', { name: 'Innstillinger' }).click()
    await page.getByLabel('Nåværende PIN-kode').fill(PIN)
    await page.getByLabel('Ny PIN-kode (4–8 sifre)').fill('97531')
    await page.getByLabel('Gjenta PIN-koden').fill('97531')
    await page.getByRole('button', { name: 'Lagre PIN-kode' }).click()
    await page.getByRole('status').filter({ hasText: 'PIN-koden er lagret.' }).waitFor()
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/account-pin-saved-nb-768x1024.png` })
  }, 120_000)
})
