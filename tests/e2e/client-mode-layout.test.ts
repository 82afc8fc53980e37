import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { type ClientModeScreen, ClientScreen, ClientsScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const SHOTS = 'tests/e2e/screenshots'
const PIN = '2468'

/** Entirely inside the viewport, so the client sees it without scrolling. */
async function onScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox()
  const viewport = page.viewportSize()
  if (!box || !viewport) return false
  return (
    box.y >= 0 &&
    box.x >= 0 &&
    box.y + box.height <= viewport.height &&
    box.x + box.width <= viewport.width
  )
}

describe('client mode as the client sees it (tablet, touch)', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    server = await startServer()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })
  afterEach(async () => {
    await context?.close()
  })

  async function newClient(viewport: { width: number; height: number }, code: string) {
    context = await tabletContext(browser, viewport)
    page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient(code, 1980, PIN)
    return new ClientScreen(page)
  }

  /** The practitioner scrolled down their page (to the hand-over button) before handing over. */
  async function handOverScrolled(
    client: ClientScreen,
    options: Parameters<ClientScreen['handOver']>[0] = {},
  ) {
    await client.setPinIfAsked(PIN)
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    return client.handOver({ pin: PIN, ...options })
  }

  async function expectWholeFormOnScreen(mode: ClientModeScreen, shot: string) {
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    await page.screenshot({ path: `${SHOTS}/${shot}.png` })
    expect(await onScreen(page, page.locator('.client-form h1'))).toBe(true)
    expect(await onScreen(page, page.locator('#form-instructions'))).toBe(true)
    expect(await mode.sliders().count()).toBe(4)
    for (let i = 0; i < 4; i++) expect(await onScreen(page, mode.slider(i))).toBe(true)
    expect(await onScreen(page, mode.doneButton())).toBe(true)
  }

  it('opens at its top with heading, instructions, four lines and Ferdig on screen, portrait and landscape, nb and en', async () => {
    for (const viewport of [TABLET_PORTRAIT, TABLET_LANDSCAPE]) {
      const size = `${viewport.width}x${viewport.height}`
      const client = await newClient(viewport, `TOP-${viewport.width}`)
      const ors = await handOverScrolled(client)
      await expectWholeFormOnScreen(ors, `client-mode-top-ors-nb-${size}`)
      // The line keeps its length: 10 CSS cm uncalibrated (96 px per inch).
      expect((await ors.slider(0).boundingBox())?.width).toBeCloseTo(378, -1)
      await ors.markAll([0.3, 0.4, 0.5, 0.6])
      await ors.doneButton().click()
      await page.getByRole('heading', { name: 'Takk!' }).waitFor()
      await ors.leave(PIN)
      await page.getByRole('heading', { name: `Klient TOP-${viewport.width}` }).waitFor()

      const srs = await handOverScrolled(client, { form: 'SRS', clientLanguage: 'en' })
      await page.getByRole('heading', { name: 'How was the session?' }).waitFor()
      await expectWholeFormOnScreen(srs, `client-mode-top-srs-en-${size}`)
      await context.close()
    }
  })

  it('fits at the calibrated line length too (10 cm = 467 px on this tablet), in landscape', async () => {
    context = await tabletContext(browser, TABLET_LANDSCAPE)
    page = await context.newPage()
    await page.goto(`${server.url}/settings`)
    await page.getByLabel('Bredde på rammen').fill('400')
    await page.getByRole('button', { name: 'Lagre kalibrering' }).click()
    await page.getByText('Kalibreringen er lagret for dette nettbrettet.').waitFor()
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(page).createClient('CAL-TOP', 1980, PIN)
    const mode = await handOverScrolled(new ClientScreen(page))
    expect((await mode.slider(0).boundingBox())?.width).toBeCloseTo(467, -1)
    await expectWholeFormOnScreen(mode, 'client-mode-top-calibrated-1024x768')
  })

  it('a vertical swipe over a line never marks it; a tap marks; a sideways drag moves the mark', async () => {
    const client = await newClient(TABLET_PORTRAIT, 'SWIPE-1')
    const mode = await handOverScrolled(client)
    expect(await mode.slider(1).evaluate((e) => getComputedStyle(e).touchAction)).toBe('pan-y')
    await mode.swipeUpFrom(1, 0.3, 200)
    await mode.swipeUpFrom(2, 0.8, 120)
    expect(await mode.values()).toEqual([null, null, null, null])

    await mode.tapAt(1, 0.3)
    await mode.waitUntilSaved(1)
    expect(Number((await mode.values())[1])).toBeCloseTo(3, 1)
    await mode.dragTouch(1, 0.3, 0.85)
    expect(Number((await mode.values())[1])).toBeCloseTo(8.5, 1)
    // A swipe over a marked line leaves its mark where it was.
    await mode.swipeUpFrom(1, 0.1, 200)
    expect(Number((await mode.values())[1])).toBeCloseTo(8.5, 1)
  })

  it('a vertical swipe that starts on a line scrolls the form when it is taller than the screen', async () => {
    // A short window (a tablet split between two apps): the form no longer fits.
    const client = await newClient({ width: 768, height: 520 }, 'SWIPE-2')
    const mode = await handOverScrolled(client)
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    await mode.swipeUpFrom(1, 0.5, 200)
    await page.waitForFunction(() => window.scrollY > 50)
    expect(await mode.values()).toEqual([null, null, null, null])
  })

  it('after Ferdig the focus is on the thanks, which tells the client what to do', async () => {
    const client = await newClient(TABLET_LANDSCAPE, 'THANKS-1')
    const mode = await handOverScrolled(client)
    await mode.markAll([0.2, 0.4, 0.6, 0.8])
    await mode.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()
    const focused = await page.evaluate(() => {
      const el = document.activeElement
      const describedBy = el?.getAttribute('aria-describedby')
      return {
        text: el?.textContent,
        description: describedBy ? document.getElementById(describedBy)?.textContent : null,
      }
    })
    expect(focused).toEqual({
      text: 'Takk!',
      description: 'Gi nettbrettet tilbake til behandleren.',
    })
    await page.screenshot({ path: `${SHOTS}/client-mode-thanks-1024x768.png` })
  })

  it('an unmarked line is not marked for assistive technology: no score, and it says so (nb and en)', async () => {
    for (const [language, unmarked, marked] of [
      ['nb', 'Ikke markert', '7,3 av 10'],
      ['en', 'Not marked', '7.3 of 10'],
    ] as const) {
      const client = await newClient(TABLET_PORTRAIT, `AX-${language}`)
      const mode = await handOverScrolled(client, { clientLanguage: language })
      await mode.clickAt(0, 0.73)
      const cdp = await context.newCDPSession(page)
      const { nodes } = await cdp.send('Accessibility.getFullAXTree')
      const sliders = nodes
        .filter((n) => n.role?.value === 'slider')
        .map((n) => ({
          value: n.value?.value as number | undefined,
          description: String(n.description?.value ?? ''),
        }))
      expect(sliders).toHaveLength(4)
      const [first, ...rest] = sliders
      expect(first?.value).toBeCloseTo(7.3, 1)
      expect(first?.description).not.toContain(unmarked)
      for (const s of rest) {
        // Chromium reported 5 (the midpoint) for a line without aria-valuenow: a score.
        expect(s.value === undefined || s.value < 0 || s.value > 10).toBe(true)
        expect(s.description.startsWith(unmarked)).toBe(true)
      }
      expect(await mode.slider(0).getAttribute('aria-valuetext')).toBe(marked)
      expect(await mode.slider(1).getAttribute('aria-valuetext')).toBe(unmarked)
      await cdp.detach()
      await context.close()
    }
  })
})
