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
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Klienter')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nb')
    expect(await page.getByText('Ingen klienter på dette nettbrettet ennå.').isVisible()).toBe(true)
    await page.screenshot({ path: 'tests/e2e/screenshots/first-screen-768x1024.png' })
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
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Clients')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await context.close()
  })
})
