import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  TABLET_WIDE,
  tabletContext,
} from './support/browser.ts'
import { ClientScreen, ClientsScreen, LockScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const SHOTS = 'tests/e2e/screenshots'
const PIN = '2468'

describe('client mode and the visual-analogue line', () => {
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

  async function openAdultOrs(viewport = TABLET_PORTRAIT, code = 'K-101', birthYear = 1980) {
    context = await tabletContext(browser, viewport)
    page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient(code, birthYear, PIN)
    const client = new ClientScreen(page)
    const mode = await client.handOver({ pin: PIN })
    return { client, mode }
  }

  it('marks by mouse: a click places the mark, a drag moves it, and the score is the fraction of the line', async () => {
    const { mode } = await openAdultOrs()
    expect(await mode.sliders().count()).toBe(4)
    await mode.clickAt(0, 0.73)
    await mode.dragMouse(1, 0.2, 0.6)
    const [first, second] = await mode.values()
    expect(Number(first)).toBeCloseTo(7.3, 1)
    expect(Number(second)).toBeCloseTo(6.0, 1)
    // The client sees no numbers while marking: not on the lines, nowhere in the form.
    const linesText = (await page.locator('.vas').allInnerTexts()).join(' ')
    expect(linesText).not.toMatch(/\d/)
    const formText = await page.locator('.client-form').innerText()
    expect(formText).not.toMatch(/7[,.]3|6[,.]0/)
  })

  it('marks by finger through touch emulation, and the page does not scroll while dragging sideways', async () => {
    const { mode } = await openAdultOrs()
    const scrollBefore = await page.evaluate(() => window.scrollY)
    await mode.dragTouch(2, 0.1, 0.85)
    expect(Number((await mode.values())[2])).toBeCloseTo(8.5, 1)
    expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore)
    // Vertical swipes stay the browser's (scrolling): tests/e2e/client-mode-layout.test.ts.
    expect(await mode.slider(2).evaluate((e) => getComputedStyle(e).touchAction)).toBe('pan-y')
  })

  it('keeps the ARIA slider contract and works with the keyboard alone', async () => {
    const { mode } = await openAdultOrs()
    const s = mode.slider(0)
    expect(await s.getAttribute('aria-valuemax')).toBe('10')
    // Unmarked says so, and its value is below every score (not 0, not the midpoint 5).
    expect(await s.getAttribute('aria-valuenow')).toBe('-1')
    expect(await s.getAttribute('aria-valuemin')).toBe('-1')
    expect(await s.getAttribute('aria-valuetext')).toBe('Ikke markert')
    // Accessible name is the item's label.
    const labelId = await s.getAttribute('aria-labelledby')
    expect(await page.locator(`#${labelId}`).innerText()).toBe('Personlig')

    await page.locator('.client-form h1').click()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('slider')
    await page.keyboard.press('ArrowRight')
    expect(await s.getAttribute('aria-valuenow')).toBe('5')
    expect(await s.getAttribute('aria-valuemin')).toBe('0')
    expect(await s.getAttribute('aria-valuetext')).toBe('5,0 av 10')
    await page.keyboard.press('End')
    expect(await s.getAttribute('aria-valuenow')).toBe('10')
    await page.keyboard.press('ArrowLeft')
    expect(await s.getAttribute('aria-valuenow')).toBe('9.9')
    await page.keyboard.press('PageDown')
    expect(await s.getAttribute('aria-valuenow')).toBe('8.9')
    await page.keyboard.press('ArrowUp')
    expect(await s.getAttribute('aria-valuenow')).toBe('9')
    expect(await s.getAttribute('aria-valuetext')).toBe('9,0 av 10')
    await page.keyboard.press('Home')
    expect(await s.getAttribute('aria-valuenow')).toBe('0')
    expect(await s.getAttribute('aria-valuetext')).toBe('0,0 av 10')
    // Key presses faster than the screen updates still all count.
    await page.keyboard.press('Home')
    for (let i = 0; i < 37; i++) await page.keyboard.press('ArrowRight', { delay: 0 })
    expect(await s.getAttribute('aria-valuenow')).toBe('3.7')
    await page.keyboard.press('Home')
    // Visible focus.
    const outline = await s.evaluate((e) => getComputedStyle(e).outlineStyle)
    expect(outline).not.toBe('none')
  })

  it('brings a draft back exactly after a reload, and reload and back never leave client mode', async () => {
    const { mode } = await openAdultOrs()
    await mode.clickAt(0, 0.42)
    await mode.clickAt(3, 0.91)
    const before = await mode.values()
    // Both marks committed to IndexedDB (sealed) before the reload pulls the plug.
    await mode.waitUntilSaved(2)
    // A reload drops the key from memory: the PIN comes first, never a practitioner screen.
    await page.reload()
    const lock = new LockScreen(page)
    await lock.heading.waitFor()
    expect(await page.getByRole('navigation').count()).toBe(0)
    await lock.unlock(PIN)
    await mode.sliders().first().waitFor()
    expect(await mode.values()).toEqual(before)
    expect(before[1]).toBeNull()
    await page.goBack().catch(() => undefined)
    await page.goto(`${server.url}/settings`)
    await lock.unlock(PIN)
    await mode.sliders().first().waitFor()
    expect(await page.getByRole('navigation').count()).toBe(0)
    expect(await mode.values()).toEqual(before)
  })

  it('allows Done only when every line is marked, then thanks; leaving needs the PIN; the practitioner sees the numbers', async () => {
    const { client, mode } = await openAdultOrs(TABLET_PORTRAIT, 'K-202')
    await mode.clickAt(0, 0.5)
    // aria-disabled keeps the button focusable so its hint is read; a press does nothing.
    await mode.doneButton().click({ force: true })
    expect(await page.locator('.client-form').count()).toBe(1)
    expect(await page.locator('#done-hint').innerText()).toContain('3 linjer')
    await mode.markAll([0.5, 0.61, 0.72, 0.83])
    await mode.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()

    await page.getByRole('button', { name: 'Behandler' }).click()
    await page.getByLabel(/PIN/).fill('1111')
    await page.getByRole('button', { name: 'Lås opp' }).click()
    await page.getByText('Feil PIN-kode').waitFor()
    await page.getByLabel(/PIN/).fill(PIN)
    await page.getByRole('button', { name: 'Lås opp' }).click()

    await page.getByRole('heading', { name: 'Klient K-202' }).waitFor()
    const result = await page.locator('.result-box').innerText()
    expect(result).toContain('ORS: 26,6')
    expect(await client.historyRows().count()).toBe(1)
    expect(await client.historyRows().first().innerText()).toContain('5,0 · 6,1 · 7,2 · 8,3')
  })

  it('gives a 9-year-old the child form with faces, and a 4-year-old the face choice', async () => {
    const year = new Date().getFullYear()
    const { mode } = await openAdultOrs(TABLET_PORTRAIT, 'B-9', year - 9)
    expect(await mode.sliders().count()).toBe(4)
    expect(await page.locator('.vas-face').count()).toBe(8)
    await page.screenshot({ path: `${SHOTS}/client-mode-cors-768x1024.png`, fullPage: true })
    await mode.markAll([0.2, 0.4, 0.6, 0.8])
    await mode.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()
    await context.close()

    const young = await openAdultOrs(TABLET_PORTRAIT, 'S-4', year - 4)
    expect(await young.mode.sliders().count()).toBe(0)
    const faces = page.getByRole('radio')
    expect(await faces.count()).toBe(5)
    await page.getByRole('radio', { name: 'Glad', exact: true }).click()
    expect(await page.getByRole('radio', { name: 'Glad', exact: true }).isChecked()).toBe(true)
    // The choice is committed to IndexedDB (sealed) before the reload pulls the plug.
    await young.mode.waitUntilSaved(1)
    await page.reload()
    await new LockScreen(page).unlock(PIN)
    await page.getByRole('radio', { name: 'Glad', exact: true }).waitFor({ state: 'attached' })
    expect(await page.getByRole('radio', { name: 'Glad', exact: true }).isChecked()).toBe(true)
    await page.screenshot({ path: `${SHOTS}/client-mode-ycors-768x1024.png`, fullPage: true })
    await young.mode.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()
  })

  it('lets group members rate one after another, each as its own record', async () => {
    const { mode } = await openAdultOrs(TABLET_PORTRAIT, 'G-1', 1990)
    await mode.leave(PIN)
    const client = new ClientScreen(page)
    const group = await client.handOver({ form: 'GSRS' })
    for (let member = 1; member <= 3; member++) {
      await page.getByText(`Deltaker ${member}`).waitFor()
      await group.markAll([0.9, 0.95, 0.8 + member / 100, 0.97])
      await group.doneButton().click()
      await page.getByRole('heading', { name: 'Takk!' }).waitFor()
      if (member < 3) await page.getByRole('button', { name: 'Neste deltaker' }).click()
    }
    await group.leave(PIN)
    await page.getByRole('heading', { name: 'Klient G-1' }).waitFor()
    const rows = await client.historyRows().allInnerTexts()
    expect(rows.filter((r) => r.includes('GSRS'))).toHaveLength(3)
    expect(rows.join('\n')).toContain('deltaker 3')
  })

  it('uses the client language, which can differ from the practitioner language', async () => {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient('E-1', 1975, PIN)
    const mode = await new ClientScreen(page).handOver({ pin: PIN, clientLanguage: 'en' })
    await page.getByRole('heading', { name: 'How are things going?' }).waitFor()
    expect(await mode.slider(0).getAttribute('aria-valuetext')).toBe('Not marked')
    expect(await page.locator('.client-mode').getAttribute('lang')).toBe('en')
  })

  it('refuses bad paper scores with a message and saves good ones as collected on paper', async () => {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient('P-1', 1970, PIN)
    await page.getByRole('link', { name: /papir eller telefon/ }).click()
    const fields = page.locator('.typed-items input')
    await fields.nth(0).fill('7,25')
    await fields.nth(1).fill('11')
    await fields.nth(2).fill('abc')
    await fields.nth(3).fill('')
    await page.getByRole('button', { name: 'Lagre' }).click()
    await page.getByText('Noen skårer må rettes').waitFor()
    expect(await page.locator('.typed-items .error').allInnerTexts()).toEqual([
      'Bruk høyst én desimal, for eksempel 7,3.',
      'Skåren må være mellom 0 og 10.',
      'Skriv et tall, for eksempel 7,3.',
      'Skriv inn en skåre.',
    ])
    await fields.nth(0).fill('7,2')
    await fields.nth(1).fill('10')
    await fields.nth(2).fill('0')
    await fields.nth(3).fill('4.5')
    await page.getByRole('button', { name: 'Lagre' }).click()
    await page.getByRole('heading', { name: 'Klient P-1' }).waitFor()
    const row = await new ClientScreen(page).historyRows().first().innerText()
    expect(row).toContain('7,2 · 10,0 · 0,0 · 4,5')
    expect(row).toContain('21,7')
    expect(row).toContain('Papir')
  })

  it('calibration with a bank card changes the length of the line, never the score', async () => {
    context = await tabletContext(browser, TABLET_LANDSCAPE)
    page = await context.newPage()
    await page.goto(`${server.url}/settings`)
    // This "tablet" shows a bank card 400 px wide: 10 cm is then 400 / 8.56 * 10 = 467 px.
    const frame = page.locator('.card-outline')
    const slider = page.getByLabel('Bredde på rammen')
    await slider.fill('400')
    expect((await frame.boundingBox())?.width).toBeCloseTo(400, 0)
    await page.getByRole('button', { name: 'Lagre kalibrering' }).click()
    await page.getByText('Kalibreringen er lagret for dette nettbrettet.').waitFor()
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(page).createClient('CAL-1', 1980, PIN)
    const mode = await new ClientScreen(page).handOver({ pin: PIN })
    const box = await mode.slider(0).boundingBox()
    expect(box?.width).toBeCloseTo(467, -1)
    await mode.clickAt(0, 0.73)
    expect(await mode.slider(0).getAttribute('aria-valuenow')).toBe('7.3')
    // The calibration is remembered on this device.
    await mode.leave(PIN)
    await page.getByRole('heading', { name: 'Klient CAL-1' }).waitFor()
    await page.goto(`${server.url}/settings`)
    await new LockScreen(page).unlock(PIN)
    await page.getByText('Dette nettbrettet er kalibrert.').waitFor()
  })

  it('fits the line at 768x1024, 1024x768 and 1280x800 with 44 px touch targets', async () => {
    for (const viewport of [TABLET_PORTRAIT, TABLET_LANDSCAPE, TABLET_WIDE]) {
      const { mode } = await openAdultOrs(viewport, `V-${viewport.width}`)
      await mode.markAll([0.35, 0.5, 0.65, 0.8])
      const box = await mode.slider(0).boundingBox()
      expect(box?.height).toBeGreaterThanOrEqual(44)
      // 10 CSS cm where the screen allows (uncalibrated: 96 px per inch).
      expect(box?.width).toBeCloseTo(378, -1)
      expect(box && box.x + box.width).toBeLessThanOrEqual(viewport.width)
      const done = await mode.doneButton().boundingBox()
      expect(done?.height).toBeGreaterThanOrEqual(44)
      await page.screenshot({
        path: `${SHOTS}/client-mode-ors-${viewport.width}x${viewport.height}.png`,
      })
      await context.close()
    }
  })
})
