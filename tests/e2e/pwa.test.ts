import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  launchChromium,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { ClientScreen, ClientsScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const DIST = resolve(import.meta.dirname, '../../dist')
const PIN = '8642'

async function waitForController(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
    timeout: 30_000,
  })
}

/** Network off for the page AND for its service worker's own requests. */
async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true)
  await context.route('**/*', (route) => route.abort('internetdisconnected'))
}

describe('installable, offline app', () => {
  let server: ServerProcess
  let browser: Browser
  let staticDir: string
  let context: BrowserContext | undefined

  beforeAll(async () => {
    // A copy of the build the test can "redeploy" while the app is open.
    staticDir = mkdtempSync(join(tmpdir(), 'linja-dist-'))
    cpSync(DIST, staticDir, { recursive: true })
    server = await startServer({ STATIC_DIR: staticDir })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
    rmSync(staticDir, { recursive: true, force: true })
  })
  afterEach(async () => {
    await context?.close()
    context = undefined
  })

  it('starts cold with no network: the app and client mode work from the service worker cache', async () => {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    const first = await context.newPage()
    await first.goto(server.url)
    await waitForController(first)
    await first.close()
    await goOffline(context)

    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('heading', { name: 'Sikre nettbrettet før første klient' }).waitFor()
    await new ClientsScreen(page).createClient('OFF-1', 1985, PIN)
    const mode = await new ClientScreen(page).handOver({ pin: PIN })
    await mode.markAll([0.3, 0.4, 0.5, 0.6])
    await mode.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()
    await mode.leave(PIN)
    await page.getByRole('heading', { name: 'Klient OFF-1' }).waitFor()
    expect(await new ClientScreen(page).historyRows().count()).toBe(1)
  })

  it('never reloads while a client is marking; the practitioner chooses when to take a new version', async () => {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(server.url)
    await waitForController(page)
    await new ClientsScreen(page).createClient('UPD-1', 1980, PIN)
    const mode = await new ClientScreen(page).handOver({ pin: PIN })
    await mode.clickAt(0, 0.7)
    await page.evaluate(() => {
      ;(window as unknown as { __sameDocument: boolean }).__sameDocument = true
    })

    // Deploy a new build: the service worker file changes.
    appendFileSync(join(staticDir, 'sw.js'), `\n// redeployed ${Date.now()}\n`)
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration()
      await reg?.update()
    })
    await page.waitForFunction(
      async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting),
      undefined,
      {
        timeout: 30_000,
      },
    )
    await page.waitForTimeout(500)
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true)
    expect(await page.getByText('En ny versjon av Linja er klar.').count()).toBe(0)
    expect((await mode.values())[0]).toBe('7')

    await mode.leave(PIN)
    await page.getByText('En ny versjon av Linja er klar.').waitFor()
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true)
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Oppdater nå' }).click(),
    ])
    await page.getByRole('heading', { level: 1 }).waitFor()
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBeUndefined()
  })

  it('passes Chromium installability checks and has the manifest the issue asks for', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'linja-profile-'))
    const persistent = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      serviceWorkers: 'allow',
      viewport: TABLET_PORTRAIT,
    })
    try {
      const page = await persistent.newPage()
      await page.goto(server.url)
      await waitForController(page)
      const cdp = await persistent.newCDPSession(page)
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[]
      }
      expect(installabilityErrors).toEqual([])
      const manifest = (await page.evaluate(async () => {
        const link = document.querySelector('link[rel="manifest"]')?.getAttribute('href')
        return link ? (await fetch(link)).json() : null
      })) as {
        name: string
        short_name: string
        start_url: string
        display: string
        theme_color: string
        description: string
        lang: string
        icons: { sizes: string; purpose?: string }[]
      }
      expect(manifest).toMatchObject({
        short_name: 'Linja',
        start_url: '/',
        display: 'standalone',
        lang: 'nb',
      })
      expect(manifest.theme_color).toMatch(/^#/)
      expect(manifest.description).toMatch(/nettbrett/)
      expect(manifest.icons.map((i) => `${i.sizes}:${i.purpose ?? 'any'}`).sort()).toEqual([
        '192x192:any',
        '512x512:any',
        '512x512:maskable',
      ])
    } finally {
      await persistent.close()
      rmSync(profile, { recursive: true, force: true })
    }
  })
})
