import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import { launchChromium, TABLET_LANDSCAPE, tabletContext } from './support/browser.ts'
import { AccessLogScreen, AccountScreen, AdminScreen, sidewaysOverflow } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '2468'
const SHOTS = process.env.LINJA_SHOTS

describe('innsynslogg: produced from the client’s page and from the administration', () => {
  let server: ServerProcess
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD, LINJA_DEMO: '1' })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    await server?.cleanup()
  })

  it('at 768x1024 the practitioner opens a client’s log from its page, prints it or takes the CSV; the administrator finds the client by code and sees that too', async () => {
    const pia = await tabletContext(browser)
    contexts.push(pia)
    const page = await pia.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('pia', 'linja-demo-2026', PIN)
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('link', { name: 'PH-01' }).click()
    const link = page.getByRole('link', { name: 'Innsynslogg' })
    await link.waitFor()
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/client-page-768x1024.png`, fullPage: true })
    await link.click()

    const log = new AccessLogScreen(page)
    await log.heading('PH-01').waitFor()
    // Her tablet's sync is in it, and so is this very showing of the log.
    expect(await log.rows()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Pia Praktiker\s+Behandler\s+Egen klient\s+Innsynslogg laget/),
        expect.stringMatching(
          /Pia Praktiker\s+Behandler\s+Egen klient\s+Opplysninger hentet til nettbrett/,
        ),
      ]),
    )
    expect(await seriousViolations(page)).toEqual([])
    expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
    if (SHOTS)
      await page.screenshot({ path: `${SHOTS}/access-log-pia-768x1024.png`, fullPage: true })

    const csv = readFileSync(await log.downloadCsv(), 'utf8')
    expect(csv.split('\r\n')[0]).toBe(
      '\uFEFFTidspunkt (norsk tid);Person;Rolle;Tilgang fordi;Hva som skjedde;Nettbrett',
    )
    expect(csv).toContain(';Pia Praktiker;Behandler;Egen klient;Opplysninger hentet til nettbrett;')
    expect(csv).not.toContain('PH-01')

    const admin = await tabletContext(browser)
    contexts.push(admin)
    const adminPage = await admin.newPage()
    await adminPage.goto(server.url)
    await new AccountScreen(adminPage).signIn('admin', ADMIN_PASSWORD, PIN)
    await adminPage.getByRole('link', { name: 'Administrasjon' }).click()
    await new AdminScreen(adminPage).open('Innsynslogg')
    const adminLog = new AccessLogScreen(adminPage)
    await adminLog.find('ph-01')
    await adminLog.heading('PH-01').waitFor()
    const rows = await adminLog.rows()
    expect(rows[0]).toMatch(/Administrator\s+Administrator\s+Administrator\s+Innsynslogg laget/)
    expect(rows.filter((r) => r.includes('Pia Praktiker')).length).toBeGreaterThanOrEqual(3)
    expect(await seriousViolations(adminPage)).toEqual([])
    if (SHOTS) {
      await adminPage.screenshot({ path: `${SHOTS}/access-log-admin-768x1024.png`, fullPage: true })
      await adminPage.setViewportSize(TABLET_LANDSCAPE)
      await adminPage.screenshot({ path: `${SHOTS}/access-log-admin-1024x768.png`, fullPage: true })
      await page.setViewportSize(TABLET_LANDSCAPE)
      await page.screenshot({ path: `${SHOTS}/access-log-pia-1024x768.png`, fullPage: true })
    }
    // On paper only the log: no menu, no buttons.
    await adminPage.emulateMedia({ media: 'print' })
    expect(await new AdminScreen(adminPage).menu.isVisible()).toBe(false)
    expect(await adminPage.getByRole('button', { name: 'Skriv ut' }).isVisible()).toBe(false)
    await adminLog.heading('PH-01').waitFor()
    if (SHOTS)
      await adminPage.screenshot({ path: `${SHOTS}/access-log-admin-print.png`, fullPage: true })
  }, 180_000)
})
