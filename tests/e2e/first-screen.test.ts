import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

describe('the built app in Chromium', () => {
  let server: ServerProcess
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('opens at 768x1024 and shows its first screen in Norwegian', async () => {
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.url)
    // A new tablet: a PIN (or a sign-in) before the first client, so nothing is stored in clear.
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Sikre nettbrettet før første klient')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nb')
    await page.screenshot({ path: 'tests/e2e/screenshots/first-screen-768x1024.png' })
    // No client screen opens before that, whatever the address.
    await page.goto(`${server.url}/clients/some-id`)
    await page.getByRole('heading', { name: 'Sikre nettbrettet før første klient' }).waitFor()
    // A PIN that is too short, or repeated wrong, is refused in words and sets nothing.
    await page.getByLabel('Ny PIN-kode (4–8 sifre)').fill('12')
    await page.getByLabel('Gjenta PIN-koden').fill('12')
    await page.getByRole('button', { name: 'Lagre PIN-kode' }).click()
    await page.getByText('PIN-koden må være 4 til 8 sifre.').waitFor()
    await page.getByLabel('Ny PIN-kode (4–8 sifre)').fill('2468')
    await page.getByLabel('Gjenta PIN-koden').fill('2469')
    await page.getByRole('button', { name: 'Lagre PIN-kode' }).click()
    await page.getByText('De to PIN-kodene er ikke like.').waitFor()
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Sikre nettbrettet før første klient',
    )
    await page.getByLabel('Gjenta PIN-koden').fill('2468')
    await page.getByRole('button', { name: 'Lagre PIN-kode' }).click()
    await page.getByRole('link', { name: 'Klienter' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Klienter')
    expect(await page.getByText('Ingen klienter på dette nettbrettet ennå.').isVisible()).toBe(true)
    expect(errors).toEqual([])
    await context.close()
  })

  it('switches to English and remembers it after a reload', async () => {
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('link', { name: 'Innstillinger' }).click()
    await page.getByLabel('Språk').selectOption('en')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Settings')
    await page.getByRole('link', { name: 'Clients' }).click()
    await page.reload()
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Secure the tablet before the first client')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await context.close()
  })
})
