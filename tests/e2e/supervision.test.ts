import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import { launchChromium, TABLET_LANDSCAPE, tabletContext } from './support/browser.ts'
import { LockScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

describe('supervision in the app (demo organisation)', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD, LINJA_DEMO: '1' })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.cleanup()
  })

  it('a supervisor sees supervisees with red clients first, the reasons, a read-only client and figures with n', async () => {
    context = await tabletContext(browser, TABLET_LANDSCAPE)
    const page = await context.newPage()
    await page.goto(`${server.url}/account`)
    expect(await page.getByRole('link', { name: 'Veiledning' }).count()).toBe(0)
    await page.getByLabel('Brukernavn').fill('vera')
    await page.getByLabel('Passord').fill('linja-demo-2026')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    // A sign-in ends with a PIN on the tablet, before any other screen.
    await new LockScreen(page).choosePin('2468')
    await page.getByText(/Logget inn som/).waitFor()
    await page.getByRole('link', { name: 'Veiledning' }).click()
    const first = page.locator('section.supervisee').first()
    await first.locator('tbody tr').first().waitFor()
    const rows = await first.locator('tbody tr').allInnerTexts()
    expect(rows[0]).toContain('Rød')
    // Red before green: once a row is not red, no red row follows.
    const firstNotRed = rows.findIndex((r) => !r.includes('Rød'))
    expect(
      rows.slice(Math.max(firstNotRed, 0)).some((r) => firstNotRed >= 0 && r.includes('Rød')),
    ).toBe(false)
    expect(rows[0]).toMatch(/Pålitelig forverring|under risikolinjen|SRS/)

    await first.getByRole('button', { name: 'Vis nøkkeltall' }).click()
    const figures = first.locator('table.aggregates')
    await figures.waitFor()
    expect(
      await figures
        .getByRole('row', { name: /^Forløp/ })
        .first()
        .innerText(),
    ).toMatch(/\d/)

    const code = (await first.locator('tbody tr th a').first().innerText()).trim()
    await first.getByRole('link', { name: code }).click()
    await page.getByRole('heading', { name: `Klient ${code}` }).waitFor()
    expect(await page.getByRole('button', { name: 'Gi nettbrettet til klienten' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Rett', exact: true }).count()).toBe(0)
    await page.locator('#chart-outcome').waitFor()

    // On the tablet, supervisees' clients (synced read-only) are listed apart from one's own.
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    const theirs = page.getByRole('radio', { name: 'Veiledede (bare lesing)' })
    await expect.poll(() => theirs.count(), { timeout: 20_000 }).toBe(1)
    await page.getByText('Du har ingen egne klienter ennå.').waitFor()
    expect(await page.getByRole('link', { name: 'PH-01' }).count()).toBe(0)
    await theirs.check()
    await page.getByRole('link', { name: 'PH-01' }).click()
    await page.getByText('Klienten til en du veileder: bare til lesing.').waitFor()
    expect(await page.getByRole('button', { name: 'Gi nettbrettet til klienten' }).count()).toBe(0)
  })
})
