// Issue 13, points 1, 4 and 10: a sign-in always leaves a PIN on the tablet (offline restarts
// open), one tablet is one device, nothing waits without saying why, and the tablet's data is
// kept (persistent storage asked for by the app itself).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPerson, createPractitioner } from './support/api.ts'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import {
  AccountScreen,
  AppHeader,
  ClientScreen,
  ClientsScreen,
  choosePinIfAsked,
  LockScreen,
  SettingsScreen,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PASSWORD = 'practitioner-pass-1'

async function offline(context: BrowserContext): Promise<void> {
  await context.setOffline(true)
  // The service worker's own fetches too: nothing reaches the server.
  await context.route('**/*', (route) => route.abort('internetdisconnected'))
}

async function online(context: BrowserContext): Promise<void> {
  await context.unroute('**/*')
  await context.setOffline(false)
}

describe('a practitioner’s week: sign-in, waiting changes, kept data (issue 13.1, 13.4, 13.10)', () => {
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

  async function tablet(
    viewport = TABLET_PORTRAIT,
    init?: () => void,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await tabletContext(browser, viewport)
    contexts.push(context)
    if (init) await context.addInitScript(init)
    const page = await context.newPage()
    await page.goto(server.url)
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
      timeout: 30_000,
    })
    return { context, page }
  }

  it('13.1: "Logg inn først" asks the PIN before any client screen; an offline restart opens with it; the lock screen names whose data it opens; one tablet is one row for the admin', async () => {
    await createPractitioner(server.url, 'pia', PASSWORD)
    await createPractitioner(server.url, 'bjorn', PASSWORD)
    const { context, page } = await tablet(TABLET_LANDSCAPE)
    const account = new AccountScreen(page)
    const lock = new LockScreen(page)

    await page.getByRole('link', { name: 'Logg inn først' }).click()
    // The tablet's name is asked at its first sign-in, with a default from the kind of tablet.
    await expect.poll(() => account.deviceName.inputValue()).toBe('Nettbrett (Linux)')
    await account.fill('pia', PASSWORD, 'Nettbrett 3')
    // The PIN comes before anything else: no client list, no menu.
    await page.getByRole('heading', { level: 1, name: 'PIN-kode for dette nettbrettet' }).waitFor()
    await page.getByText('Logget inn som Test pia (pia).', { exact: false }).waitFor()
    expect(await page.getByRole('link', { name: 'Klienter' }).count()).toBe(0)
    expect(await page.getByLabel('Klientkode').count()).toBe(0)

    // Closed before choosing one: the words say so, not "too many wrong PINs".
    await page.reload()
    await page.getByRole('heading', { name: 'Logg inn på nytt' }).waitFor()
    await page.getByText('Du valgte ingen PIN-kode på dette nettbrettet').waitFor()
    expect(await page.getByText(/For mange feil/).count()).toBe(0)
    // The name is not asked again on this tablet.
    expect(await account.deviceName.count()).toBe(0)
    await account.fill('pia', PASSWORD)
    await lock.choosePin('2580')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Klienter' }).waitFor()

    // A home visit: no network at all, the app restarts and the PIN opens the client list.
    await offline(context)
    await page.reload()
    await lock.heading.waitFor()
    await page.getByText('PIN-koden åpner dataene til Test pia.').waitFor()
    await lock.unlock('2580')
    await page.getByRole('heading', { level: 1, name: 'Klienter' }).waitFor()
    await new ClientsScreen(page).createClient('PIA-1', 1984)
    await online(context)

    // Another practitioner signs in on the lock screen: a PIN of their own, asked at once.
    await new AppHeader(page).lockNow()
    await page.getByRole('button', { name: 'Logg inn som en annen behandler' }).click()
    await account.fill('bjorn', PASSWORD)
    await lock.choosePin('1470')
    await page.getByRole('heading', { level: 1, name: 'Innstillinger' }).waitFor()
    await new AppHeader(page).lockNow()
    await page.getByText('PIN-koden åpner dataene til Test bjorn.').waitFor()
    await page.getByText('Har også PIN-kode på dette nettbrettet: Test pia.').waitFor()
    await lock.unlock('1470')

    // Renamed on the tablet; the administrator sees one tablet with both people on it.
    await new SettingsScreen(page).renameTablet('Hjemmebesøk 3')
    const admin = await tablet(TABLET_PORTRAIT)
    await new AccountScreen(admin.page).signIn('admin', ADMIN_PASSWORD, '4321')
    await admin.page.getByRole('link', { name: 'Administrasjon' }).click()
    await admin.page.getByRole('link', { name: 'Nettbrett', exact: true }).click()
    const table = admin.page.getByRole('table', { name: 'Nettbrett' })
    const row = table.getByRole('row', { name: /Hjemmebesøk 3/ })
    await row.waitFor()
    expect(await row.count()).toBe(1)
    const text = await row.innerText()
    expect(text).toContain('Test bjorn')
    expect(text).toContain('Test pia')
    expect(text).toContain('0.1.0')
  }, 240_000)

  it('13.4: a leader gets no "Ny klient"; what waits says why in the header and on Konto; counts are what a person made; the last sync survives an offline restart', async () => {
    await createPerson(server.url, 'lena', PASSWORD, ['leader'])
    await createPractitioner(server.url, 'kari', PASSWORD)
    // A home visit before anyone signed in: a PIN, then one client.
    const { context, page } = await tablet(TABLET_PORTRAIT)
    const header = new AppHeader(page)
    await new ClientsScreen(page).createClient('HOME-1', 1990, '3690')
    await expect.poll(() => header.text()).toContain('1 endring venter')
    await expect.poll(() => header.text()).toContain('ikke sendt: ingen er logget inn')

    // A leader signs in and takes the tablet's data: it cannot be sent, and that is said.
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByLabel('Brukernavn').fill('lena')
    await page.getByLabel('Passord').fill(PASSWORD)
    await page.getByLabel('PIN-koden til nettbrettet').fill('3690')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page
      .getByText(/Logget inn som Test lena/)
      .first()
      .waitFor()
    await choosePinIfAsked(page, '3690')
    await page.getByRole('button', { name: 'Synkroniser nå' }).click()
    await page
      .getByText('Det som venter, blir ikke sendt: Test lena har ikke rollen behandler')
      .waitFor()
    expect(await page.locator('.sync-facts dd').nth(2).innerText()).not.toBe('Ingen')
    await expect
      .poll(() => header.text())
      .toContain('ikke sendt: Test lena kan ikke sende klientdata')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('Bare behandlere kan opprette klienter').waitFor()
    expect(await page.getByRole('button', { name: 'Opprett' }).count()).toBe(0)

    // A practitioner on a tablet of her own: one client and one form are two things waiting.
    const kari = await tablet(TABLET_LANDSCAPE)
    const kariHeader = new AppHeader(kari.page)
    await new AccountScreen(kari.page).signIn('kari', PASSWORD, '2468')
    await kari.page.getByRole('link', { name: 'Klienter' }).first().click()
    await expect.poll(() => kariHeader.text(), { timeout: 30_000 }).toContain('synket')
    await offline(kari.context)
    await new ClientsScreen(kari.page).createClient('KARI-1', 1980)
    await expect.poll(() => kariHeader.text()).toContain('1 endring venter')
    const ors = await new ClientScreen(kari.page).handOver({ form: 'ORS' })
    await ors.markAll([0.3, 0.4, 0.5, 0.6])
    await ors.doneButton().click()
    await kari.page.getByRole('heading', { name: 'Takk!' }).waitFor()
    await ors.leave('2468')
    await expect.poll(() => kariHeader.text()).toContain('2 endringer venter')
    await expect.poll(() => kariHeader.text()).toContain('sendes når nettet er tilbake')
    // Restarted offline: the last successful sync is still shown.
    await kari.page.reload()
    await new LockScreen(kari.page).unlock('2468')
    await expect.poll(() => kariHeader.text()).toMatch(/synket \d\d[:.]\d\d/)
    void context
  }, 240_000)

  it('13.10: the app asks for persistent storage when the first record is stored; a refusal is said in the header and in Innstillinger', async () => {
    const { page } = await tablet(TABLET_LANDSCAPE, () => {
      const calls: string[] = []
      Object.defineProperty(window, '__persistCalls', { value: calls })
      // A browser that says no (as Chromium does for a site it does not know well).
      navigator.storage.persist = async () => {
        calls.push('persist')
        return false
      }
      navigator.storage.persisted = async () => false
    })
    const header = new AppHeader(page)
    await new ClientsScreen(page).createClient('KEEP-1', 1985, '1593')
    await expect
      .poll(() =>
        page.evaluate(
          () => (window as unknown as { __persistCalls: string[] }).__persistCalls.length,
        ),
      )
      .toBeGreaterThan(0)
    await expect.poll(() => header.text()).toContain('usendte data kan gå tapt')
    await page.getByRole('link', { name: 'Innstillinger' }).click()
    await page
      .getByText(
        'Nettleseren har ikke gitt varig lagring. Endringer som ikke er sendt, kan gå tapt',
      )
      .waitFor()
  })
})
