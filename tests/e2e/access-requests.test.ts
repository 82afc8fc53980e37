import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import {
  launchChromium,
  shootBothSizes,
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

  it('lars asks for a new practitioner and reports a leaver on Rapporter; the admin sees the count as she opens the app, approves both on Ansatte and sees the end date', async () => {
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
    const leaver = page.getByRole('form', { name: 'Meld at noen slutter' })
    await leaver.getByLabel('Enheten personen slutter i').selectOption({ label: 'Barnevern' })
    await leaver.getByLabel('Hvem').selectOption({ label: 'Per Barnevernspedagog' })
    const lastDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    await leaver.getByLabel('Siste arbeidsdag').fill(lastDay)
    await leaver.getByRole('button', { name: 'Meld sluttdato' }).click()
    await page.getByText('Venter').nth(1).waitFor()
    await shootBothSizes(page, SHOTS, 'leader-request')
    await leader.close()

    // A Norwegian tablet: the end of access reads as midnight after the last day.
    const office = await tabletContext(browser, TABLET_LANDSCAPE, { timezoneId: 'Europe/Oslo' })
    const admin = await office.newPage()
    await signIn(admin, server.url, 'admin', ADMIN_PASSWORD)
    // Told at once, in words a screen reader says too, before she looks at Ansatte.
    const adminLink = admin.getByRole('link', { name: 'Administrasjon (2 åpne forespørsler)' })
    await adminLink.waitFor()
    await adminLink.click()
    await admin
      .getByRole('navigation', { name: 'Deler av administrasjonen' })
      .getByRole('link', { name: 'Ansatte (2 åpne forespørsler)' })
      .waitFor()
    expect(await seriousViolations(admin)).toEqual([])
    const requests = admin.getByRole('region', { name: 'Forespørsler fra enhetsledere' })
    await requests.getByText('Nora Nybegynner').waitFor()
    await shootBothSizes(admin, SHOTS, 'admin-requests')
    const nora = requests.getByRole('listitem').filter({ hasText: 'Nora Nybegynner' })
    await nora.getByLabel(/Første passord/).fill('first-password-1')
    // With two requests open, each button names its person for a screen reader's list of buttons.
    await requests.getByRole('button', { name: 'Avslå – Per Barnevernspedagog' }).waitFor()
    await requests.getByRole('button', { name: 'Godkjenn – Nora Nybegynner', exact: true }).click()
    await admin
      .getByText('Nora Nybegynner har fått konto. Gi vedkommende det første passordet.')
      .waitFor()
    await admin.getByRole('table', { name: 'Ansatte' }).getByText('nora.nybegynner').waitFor()
    await admin.getByRole('link', { name: 'Administrasjon (1 åpen forespørsel)' }).waitFor()

    await requests.getByRole('button', { name: 'Godkjenn' }).click()
    const perRow = admin
      .getByRole('table', { name: 'Ansatte' })
      .getByRole('row', { name: /Per Barnevernspedagog/ })
    await perRow.getByText('Slutter').waitFor()
    // The day lars gave, though access ends at the midnight after it.
    const [y = 0, m = 1, d = 1] = lastDay.split('-').map(Number)
    const day = new Date(Date.UTC(y, m - 1, d, 12)).toLocaleDateString('nb-NO', {
      dateStyle: 'medium',
      timeZone: 'Europe/Oslo',
    })
    expect(await perRow.getByText(/^Siste arbeidsdag /).innerText()).toBe(`Siste arbeidsdag ${day}`)
    await admin.getByRole('link', { name: 'Administrasjon', exact: true }).waitFor()
    await shootBothSizes(admin, SHOTS, 'admin-staff-leaver')
    await office.close()
  })
})
