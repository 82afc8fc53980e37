import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { AccountScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '8642'
/** Set to a folder to keep screenshots of both screens at both tablet sizes (for a person to look at). */
const SHOTS = process.env.LINJA_SHOTS_DIR

/** Through the account screen's page model: the admin passes a second factor, as every admin does. */
async function signIn(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/`)
  await new AccountScreen(page).signIn(username, password, PIN)
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return
  for (const [size, viewport] of [
    ['768x1024', TABLET_PORTRAIT],
    ['1024x768', TABLET_LANDSCAPE],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.screenshot({ path: `${SHOTS}/${name}-${size}.png`, fullPage: true })
  }
}

describe('joiner request: the unit leader asks, the administrator approves', () => {
  let server: ServerProcess
  let browser: Browser
  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD, LINJA_DEMO: '1' })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('lars asks for a new practitioner on Rapporter; the admin gives the first password and approves on Ansatte', async () => {
    const leader = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await leader.newPage()
    await signIn(page, server.url, 'lars', 'linja-demo-2026')
    await page.getByRole('link', { name: 'Rapporter' }).click()
    const form = page.getByRole('form', { name: 'Ny ansatt' })
    await form.getByLabel('Navn', { exact: true }).fill('Nora Nybegynner')
    await form.getByLabel('E-post').fill('nora.nybegynner@kommune.no')
    await form.getByRole('button', { name: 'Send forespørsel' }).click()
    await page.getByText('Forespørselen er sendt til administrator.').waitFor()
    await page.getByText('Venter').first().waitFor()
    await shot(page, 'leader-request')
    await leader.close()

    const office = await tabletContext(browser, TABLET_LANDSCAPE)
    const admin = await office.newPage()
    await signIn(admin, server.url, 'admin', ADMIN_PASSWORD)
    await admin.getByRole('link', { name: 'Administrasjon' }).click()
    const requests = admin.getByRole('region', { name: 'Forespørsler fra enhetsledere' })
    await requests.getByText('Nora Nybegynner').waitFor()
    await shot(admin, 'admin-requests')
    await requests.getByLabel(/Første passord/).fill('first-password-1')
    await requests.getByRole('button', { name: 'Godkjenn' }).click()
    await admin
      .getByText('Nora Nybegynner har fått konto. Gi vedkommende det første passordet.')
      .waitFor()
    await admin.getByRole('table', { name: 'Ansatte' }).getByText('nora.nybegynner').waitFor()
    await office.close()
  })
})
