// Issue 14.11 and 14.16 in the browser: a sign-in refused by the rate limit says when to try again; a too large upload says so.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import { launchChromium, TABLET_LANDSCAPE, tabletContext } from './support/browser.ts'
import { AccountScreen, AdminScreen, choosePinIfAsked } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

describe('too many sign-in attempts', () => {
  let server: ServerProcess
  let browser: Browser

  beforeAll(async () => {
    // One attempt a minute, so the second one meets the limit.
    server = await startServer({
      LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LINJA_LOGIN_RATE_LIMIT: '1',
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('says "For mange forsøk. Prøv igjen om …" with the wait, after a refused password', async () => {
    const context = await tabletContext(browser, TABLET_LANDSCAPE)
    const page = await context.newPage()
    await page.goto(server.url)
    const account = new AccountScreen(page)
    await account.submitSignIn('admin', 'not-the-password')
    await expect.poll(() => account.signInError()).toBe('Feil brukernavn eller passord.')
    await account.submitSignIn('admin', ADMIN_PASSWORD)
    // The limit's window is a minute and some of it has passed: "om 1 minutt" or "om 58 sekunder".
    await expect
      .poll(() => account.signInError())
      .toMatch(/^For mange forsøk\. Prøv igjen om (1 minutt|[1-5]?\d sekunder)\.$/)
    if (process.env.LINJA_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.LINJA_SCREENSHOTS}/rate-limited-1024x768.png` })
    }
    await context.close()
  })
})

describe('a text pack too large for the server', () => {
  let server: ServerProcess
  let browser: Browser

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('is refused in words, not as "no connection"', async () => {
    const context = await tabletContext(browser, TABLET_LANDSCAPE)
    const page = await context.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('admin', ADMIN_PASSWORD)
    await choosePinIfAsked(page, '2468')
    await page.getByRole('link', { name: 'Administrasjon' }).click()
    await new AdminScreen(page).open('Tekstpakke')
    // 3 MB of valid JSON: the server's limit for a pack is 2 MiB.
    const big = JSON.stringify({ format: 'linja-text-pack', padding: 'a'.repeat(3 * 1024 * 1024) })
    await page.getByLabel('Velg tekstpakke (JSON)').setInputFiles({
      name: 'pack.json',
      mimeType: 'application/json',
      buffer: Buffer.from(big),
    })
    const refused = page.getByText(
      'Det du sendte er for stort for serveren. Gjør det mindre og prøv igjen.',
    )
    await refused.waitFor()
    if (process.env.LINJA_SCREENSHOTS) {
      await refused.scrollIntoViewIfNeeded()
      await page.screenshot({
        path: `${process.env.LINJA_SCREENSHOTS}/too-large-1024x768.png`,
        fullPage: false,
      })
    }
    await context.close()
  })
})
