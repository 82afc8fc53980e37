import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  createPractitioner,
  revokeDevicesOf,
  serverRecords,
} from './support/api.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import {
  ClientScreen,
  ClientsScreen,
  choosePinIfAsked,
  syncUntilVisible,
  unlockIfLocked,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '9753'
const PASSWORD = 'practitioner-pass-1'

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.getByText(/Logget inn som/).waitFor()
  await choosePinIfAsked(page, PIN)
}

/**
 * Waits until the device has sent everything and has synced. A sync that a busy machine delays
 * (backoff after an offline attempt) is started with Sync now, as a person would.
 */
async function waitForSynced(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  const synced = () =>
    page.evaluate(() => {
      const dd = [...document.querySelectorAll('.sync-facts dd')].map((d) => d.textContent)
      return dd[0] === '0' && dd[1] !== 'Aldri'
    })
  const deadline = Date.now() + 60_000
  while (!(await synced())) {
    if (Date.now() > deadline) throw new Error('The device did not finish syncing within 60 s')
    const button = page.getByRole('button', { name: 'Synkroniser nå' })
    if (await button.isEnabled().catch(() => false)) await button.click().catch(() => undefined)
    await page.waitForTimeout(2_000)
  }
}

async function offline(context: BrowserContext): Promise<void> {
  await context.setOffline(true)
  await context.route('**/*', (route) => route.abort('internetdisconnected'))
}

async function online(context: BrowserContext): Promise<void> {
  await context.unroute('**/*')
  await context.setOffline(false)
}

async function markOrsAndSrs(page: Page, code: string): Promise<void> {
  await page.getByRole('link', { name: 'Klienter' }).first().click()
  await new ClientsScreen(page).createClient(code, 1980, PIN)
  const client = new ClientScreen(page)
  const ors = await client.handOver({ pin: PIN, form: 'ORS' })
  await ors.markAll([0.3, 0.4, 0.5, 0.6])
  await ors.doneButton().click()
  await page.getByRole('heading', { name: 'Takk!' }).waitFor()
  await ors.leave(PIN)
  await page.getByRole('heading', { name: `Klient ${code}` }).waitFor()
  const srs = await client.handOver({ form: 'SRS' })
  await srs.markAll([0.9, 0.9, 0.9, 0.9])
  await srs.doneButton().click()
  await page.getByRole('heading', { name: 'Takk!' }).waitFor()
  await srs.leave(PIN)
  await page.getByRole('heading', { name: `Klient ${code}` }).waitFor()
}

describe('offline-first sync against the real server', () => {
  let server: ServerProcess
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close()
  })

  async function device(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(server.url)
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
      timeout: 30_000,
    })
    return { context, page }
  }

  it('1. cold start offline, ORS and SRS marked offline, reconnect: the server has both, once', async () => {
    await createPractitioner(server.url, 'kari', PASSWORD)
    const { context, page: first } = await device()
    await first.getByRole('link', { name: 'Konto' }).click()
    await signIn(first, 'kari')
    await first.close()
    await offline(context)
    const page = await context.newPage()
    await page.goto(server.url)
    // A cold start offline: the PIN opens the data without the network.
    await unlockIfLocked(page, PIN)
    await page.getByRole('heading', { name: 'Klienter' }).waitFor()
    await markOrsAndSrs(page, 'OFF-S1')
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByText('Uten nett').first().waitFor()
    // What the person made: the client, the ORS and the SRS (its episode goes with the client).
    expect(await page.locator('.sync-facts dd').first().innerText()).toBe('3')

    await online(context)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await waitForSynced(page)
    const records = await serverRecords(server.url, 'kari', PASSWORD)
    expect(records.clients).toHaveLength(1)
    expect(records.administrations.map((a) => a.payload.instrumentId).sort()).toEqual([
      'ORS',
      'SRS',
    ])
    expect(new Set(records.ids).size).toBe(records.ids.length)
  })

  it('2. lost acknowledgement: the push reaches the server, the answer is cut, the retry makes no duplicate', async () => {
    await createPractitioner(server.url, 'lise', PASSWORD)
    const { page } = await device()
    await signIn(page, 'lise')
    let cut = 0
    await page.route('**/api/sync/push', async (route) => {
      if (cut === 0) {
        cut++
        await route.fetch() // the server commits ...
        await route.abort('connectionreset') // ... and the device never hears it
        return
      }
      await route.continue()
    })
    await markOrsAndSrs(page, 'ACK-1')
    await page.getByRole('link', { name: 'Konto' }).click()
    await expect.poll(() => cut, { timeout: 20_000 }).toBe(1)
    await page.getByRole('button', { name: 'Synkroniser nå' }).click()
    await waitForSynced(page)
    const records = await serverRecords(server.url, 'lise', PASSWORD)
    expect(records.clients).toHaveLength(1)
    expect(records.administrations).toHaveLength(2)
    expect(new Set(records.ids).size).toBe(records.ids.length)
  })

  it('3. server SIGKILLed in the middle of a push and restarted: the device converges, nothing lost', async () => {
    const dataDir = server.dataDir
    const port = Number(new URL(server.url).port)
    await createPractitioner(server.url, 'mona', PASSWORD)
    const { page } = await device()
    await signIn(page, 'mona')
    let killed = false
    await page.route('**/api/sync/push', async (route) => {
      if (!killed) {
        killed = true
        const inFlight = route.fetch().catch(() => null)
        await server.stop('SIGKILL')
        await inFlight
        await route.abort('connectionreset')
        return
      }
      await route.continue()
    })
    await markOrsAndSrs(page, 'KILL-1')
    await expect.poll(() => killed, { timeout: 20_000 }).toBe(true)
    // Same data folder and port: the server comes back as it was.
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD }, dataDir, port)
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByRole('button', { name: 'Synkroniser nå' }).click()
    await waitForSynced(page)
    const records = await serverRecords(server.url, 'mona', PASSWORD)
    expect(records.clients).toHaveLength(1)
    expect(records.administrations).toHaveLength(2)
    expect(new Set(records.ids).size).toBe(records.ids.length)
  })

  it('4. two tablets of one practitioner: what one records offline appears on the other after both sync', async () => {
    await createPractitioner(server.url, 'nils', PASSWORD)
    const a = await device()
    const b = await device()
    await signIn(a.page, 'nils')
    await signIn(b.page, 'nils')
    await offline(a.context)
    await markOrsAndSrs(a.page, 'TWO-1')
    await online(a.context)
    await a.page.evaluate(() => window.dispatchEvent(new Event('online')))
    await waitForSynced(a.page)
    await b.page.getByRole('button', { name: 'Synkroniser nå' }).click()
    await waitForSynced(b.page)
    await b.page.getByRole('link', { name: 'Klienter' }).first().click()
    await b.page.getByRole('link', { name: 'TWO-1' }).click()
    await b.page.getByRole('heading', { name: 'Klient TWO-1' }).waitFor()
    const rows = await new ClientScreen(b.page).historyRows().allInnerTexts()
    expect(rows).toHaveLength(2)
    expect(rows.join('\n')).toContain('3,0 · 4,0 · 5,0 · 6,0')
  })
  it('a revoked tablet wipes its data on the next contact and says why; sign-out with unsent changes warns first', async () => {
    const personId = await createPractitioner(server.url, 'olga', PASSWORD)
    const { context, page } = await device()
    await signIn(page, 'olga')
    await offline(context)
    await markOrsAndSrs(page, 'WIPE-1')
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByRole('button', { name: 'Logg ut' }).click()
    await page.getByText('3 endringer er ikke sendt ennå').waitFor()
    await page.getByRole('button', { name: 'Avbryt' }).click()
    await page.getByText(/Logget inn som/).waitFor()

    await online(context)
    expect(await revokeDevicesOf(server.url, personId)).toBe(1)
    // The next contact: Sync now (or the automatic sync, if it gets there first).
    await syncUntilVisible(
      page,
      'Dette nettbrettet er koblet fra av administrator. Dataene på det er slettet.',
    )
    // Wiped, key and all: the tablet is new again and asks for a PIN or a sign-in first.
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('heading', { name: 'Sikre nettbrettet før første klient' }).waitFor()
  })
})
