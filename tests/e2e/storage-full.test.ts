import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import { ClientScreen, ClientsScreen, LockScreen, UnfinishedForms } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '2468'
const MiB = 1024 * 1024

/**
 * Fills the tablet: the origin's quota drops to one byte, and a write bigger than what IndexedDB
 * still believes it may use makes it ask the quota manager again (Chromium trusts its last
 * answer for up to 30 seconds, shrinking; see BucketContext::CheckCanUseDiskSpace).
 */
async function fillTheDisk(page: Page, cdp: CDPSession, origin: string): Promise<void> {
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 })
  const outcome = await page.evaluate(
    (bytes) =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('test-filler', 1)
        open.onupgradeneeded = () => open.result.createObjectStore('filler')
        open.onsuccess = () => {
          const tx = open.result.transaction('filler', 'readwrite')
          tx.objectStore('filler').put('x'.repeat(bytes), 1)
          tx.oncomplete = () => resolve('stored')
          tx.onabort = () => resolve(tx.error?.name ?? 'aborted')
        }
        open.onerror = () => resolve(open.error?.name ?? 'open failed')
      }),
    4 * MiB,
  )
  expect(outcome).toBe('QuotaExceededError')
}

describe('a full tablet in Chromium', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined

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
    context = undefined
  })

  it('the client is told, the practitioner cannot leave and lose a mark, and nothing saved before is lost', async () => {
    // No service worker: its cache would count against the small quota set below.
    context = await tabletContext(browser, TABLET_PORTRAIT, { serviceWorkers: 'block' })
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    const origin = new URL(server.url).origin
    // A small disk from the start, so IndexedDB's idea of the free space stays small too.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 3 * MiB })
    await page.goto(server.url)

    // Saved before the disk fills: a paper form, and the first line of a tablet form.
    await new ClientsScreen(page).createClient('FULL-1', 1980, PIN)
    await page.getByRole('link', { name: /papir eller telefon/ }).click()
    await page.locator('.typed-items input').first().waitFor()
    for (const field of await page.locator('.typed-items input').all()) await field.fill('5')
    await page.getByRole('button', { name: 'Lagre', exact: true }).click()
    await page.getByRole('heading', { name: 'Klient FULL-1' }).waitFor()
    const client = new ClientScreen(page)
    const mode = await client.handOver({ pin: PIN })
    await mode.clickAt(0, 0.3)
    await mode.waitUntilSaved(1)

    await fillTheDisk(page, cdp, origin)
    await mode.clickAt(1, 0.6)
    await page
      .getByRole('alert')
      .getByText('Nettbrettet er fullt. Merkene dine er ikke borte, men si fra til behandleren.')
      .waitFor()
    // The mark stays on the line while the tablet keeps trying.
    expect(await mode.values()).toEqual(['3', '6', null, null])

    // A reload now would drop that mark: the browser asks first, and staying keeps it.
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type())
        void dialog.dismiss()
      })
    })
    const reload = page.reload({ timeout: 5_000 }).catch(() => 'stayed')
    expect(await asked).toBe('beforeunload')
    await reload
    expect(await mode.values()).toEqual(['3', '6', null, null])

    // Leaving now would drop the unsaved mark: client mode stays, and the practitioner is told why.
    await page.getByRole('button', { name: 'Behandler' }).click()
    await page.getByLabel(/PIN/).fill(PIN)
    await page.getByRole('button', { name: 'Lås opp' }).click()
    await page
      .getByText(/Nettbrettet har ikke mer lagringsplass\. Klientmodus blir stående/)
      .waitFor()
    await page.getByRole('button', { name: 'Avbryt' }).click()
    expect(await mode.values()).toEqual(['3', '6', null, null])

    // Space again: the next mark saves the waiting one too, and a reload brings all back.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin })
    await mode.clickAt(2, 0.7)
    await page.locator('.save-problem').waitFor({ state: 'detached' })
    // Both waiting marks committed (one at a time) before the reload pulls the plug.
    await mode.waitUntilSaved(3)
    await page.reload()
    // A reload drops the key from memory: the PIN first, then the form with every mark.
    await new LockScreen(page).unlock(PIN)
    await mode.sliders().first().waitFor()
    expect(await mode.values()).toEqual(['3', '6', '7', null])
    await mode.leave(PIN)
    await page.getByRole('heading', { name: 'Klient FULL-1' }).waitFor()
    // The paper form in the history; the unfinished tablet form kept as a draft with every mark.
    const rows = await client.historyRows().allInnerTexts()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain('5,0 · 5,0 · 5,0 · 5,0')
    const unfinished = new UnfinishedForms(page)
    expect(await unfinished.items().innerText()).toMatch(/SRS, startet .*: 3 av 4 markert/)
    expect(await (await unfinished.handBack()).values()).toEqual(['3', '6', '7', null])
  })
})
