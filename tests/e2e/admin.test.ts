import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPractitioner, login, serverRecords } from './support/api.ts'
import { launchChromium, TABLET_LANDSCAPE, tabletContext } from './support/browser.ts'
import { ClientScreen, ClientsScreen, syncUntilVisible } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PASSWORD = 'tina-password-12'

/** A text pack with Norwegian wording for the ORS (as an organisation would load its licensed text). */
function packFile(items: Record<string, string>): string {
  const pack = {
    format: 'linja-text-pack',
    formatVersion: 1,
    version: '2026.1',
    licence: { licensee: 'Testkommune', reference: 'LIS-1' },
    entries: [
      {
        instrumentId: 'ORS',
        language: 'nb',
        title: 'Skjema for hvordan det går',
        instructions: 'Testkommunens instruksjon: sett et merke på hver linje.',
        items,
        endLabels: { low: 'Lavt', high: 'Høyt' },
      },
    ],
  }
  const file = join(mkdtempSync(join(tmpdir(), 'linja-pack-')), 'pack.json')
  writeFileSync(file, JSON.stringify(pack))
  return file
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(password)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.getByText(/Logget inn som/).waitFor()
}

describe('administration in the app', () => {
  let server: ServerProcess
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    await server?.cleanup()
  })

  it('admin adds a practitioner who signs in on another tablet and syncs; deactivated, that tablet is refused and wiped', async () => {
    const adminContext = await tabletContext(browser, TABLET_LANDSCAPE)
    contexts.push(adminContext)
    const admin = await adminContext.newPage()
    await admin.goto(server.url)
    // A practitioner never sees the administration.
    expect(await admin.getByRole('link', { name: 'Administrasjon' }).count()).toBe(0)
    await signIn(admin, 'admin', ADMIN_PASSWORD)
    await admin.getByRole('link', { name: 'Administrasjon' }).click()
    await admin.getByRole('heading', { name: 'Ansatte' }).waitFor()
    await admin.getByLabel('Navn', { exact: true }).fill('Tina Test')
    await admin.getByLabel('Brukernavn').fill('tina')
    await admin.getByLabel('Første passord (minst 10 tegn)').fill('short')
    await admin.getByRole('button', { name: 'Legg til', exact: true }).click()
    await admin.getByText('Passordet må ha minst 10 tegn.').waitFor()
    await admin.getByLabel('Første passord (minst 10 tegn)').fill(PASSWORD)
    await admin.getByRole('button', { name: 'Legg til', exact: true }).click()
    await admin.getByRole('cell', { name: 'Tina Test' }).waitFor()

    // Organisation settings: a bad value is refused and changes nothing; a good one is saved.
    await admin.getByLabel('Lås nettbrett etter (minutter uten bruk)').fill('500')
    await admin.getByRole('button', { name: 'Lagre innstillinger' }).click()
    await admin.getByText('Noen verdier er utenfor det tillatte').waitFor()
    await admin.getByLabel('Lås nettbrett etter (minutter uten bruk)').fill('10')
    await admin.getByLabel('ORS-grense voksne').fill('24')
    await admin.getByRole('button', { name: 'Lagre innstillinger' }).click()
    await admin.getByText('Innstillingene er lagret.').waitFor()
    await admin.getByRole('button', { name: 'Tilpass forløpet til våre avsluttede forløp' }).click()
    await admin.getByText(/For få avsluttede forløp å tilpasse på: 0 av minst 30/).waitFor()

    // A text pack missing an item is refused with the reason; a complete one is taken into use.
    const upload = admin.getByLabel('Velg tekstpakke (JSON)')
    await upload.setInputFiles(
      packFile({ 'ors.individually': 'Meg selv', 'ors.interpersonally': 'Familie' }),
    )
    await admin.getByText(/Tekstpakken ble avvist/).waitFor()
    expect(await admin.locator('ul.problems li').count()).toBeGreaterThan(0)
    await upload.setInputFiles(
      packFile({
        'ors.individually': 'LISENS: Meg selv',
        'ors.interpersonally': 'LISENS: Familie og nære',
        'ors.socially': 'LISENS: Skole og jobb',
        'ors.overall': 'LISENS: Alt i alt',
      }),
    )
    await admin.getByText('Tekstpakken er lagret og tatt i bruk.').waitFor()

    const tabletContextB = await tabletContext(browser, TABLET_LANDSCAPE)
    contexts.push(tabletContextB)
    const tablet = await tabletContextB.newPage()
    await tablet.goto(server.url)
    await signIn(tablet, 'tina', PASSWORD)
    await tablet.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(tablet).createClient('TINA-1', 1990)
    await tablet.getByRole('link', { name: 'Konto' }).click()
    await tablet.getByRole('button', { name: 'Synkroniser nå' }).click()
    await expect
      .poll(async () => (await serverRecords(server.url, 'tina', PASSWORD)).clients.length, {
        timeout: 20_000,
      })
      .toBe(1)
    const settings = (await (
      await fetch(`${server.url}/api/settings`, {
        headers: { authorization: `Bearer ${await login(server.url, 'tina', PASSWORD)}` },
      })
    ).json()) as { idleLockMinutes: number; norms: { orsAdultCutoff: number } }
    expect(settings).toMatchObject({ idleLockMinutes: 10, norms: { orsAdultCutoff: 24 } })
    // Client mode on the practitioner's tablet uses the organisation's wording after a sync.
    await tablet.getByRole('link', { name: 'Klienter' }).first().click()
    await tablet.getByRole('link', { name: 'TINA-1' }).click()
    // ... and the organisation's cut-off (24 for adults, set above) in its charts.
    await tablet.getByRole('link', { name: /papir eller telefon/ }).click()
    for (const field of await tablet.locator('.typed-items input').all()) await field.fill('5')
    await tablet.getByRole('button', { name: 'Lagre' }).click()
    await tablet.locator('details.chart-table summary').first().click()
    expect(await tablet.locator('details.chart-table tbody tr').first().innerText()).toMatch(
      /24,0$/,
    )
    const mode = await new ClientScreen(tablet).handOver({ pin: '4321', form: 'ORS' })
    await tablet.getByText('Testkommunens instruksjon: sett et merke på hver linje.').waitFor()
    expect(await tablet.locator('.vas-label').first().innerText()).toBe('LISENS: Meg selv')
    await mode.leave('4321')
    await tablet.getByRole('heading', { name: 'Klient TINA-1' }).waitFor()
    await tablet.getByRole('link', { name: 'Konto' }).click()
    // The practitioner's tablet has no administration either.
    expect(await tablet.getByRole('link', { name: 'Administrasjon' }).count()).toBe(0)

    // The admin sees the tablet, then deactivates Tina.
    await admin.reload()
    await admin.getByRole('heading', { name: 'Nettbrett' }).waitFor()
    await expect.poll(() => admin.locator('table').nth(1).innerText()).toContain('Tina Test')
    admin.once('dialog', (d) => void d.accept())
    await admin
      .getByRole('row', { name: /Tina Test/ })
      .first()
      .getByRole('button', { name: 'Deaktiver' })
      .click()
    await expect
      .poll(() =>
        admin
          .getByRole('row', { name: /Tina Test/ })
          .first()
          .innerText(),
      )
      .toContain('Deaktivert')
    // The next contact: Sync now (or the automatic sync, if it gets there first).
    await syncUntilVisible(
      tablet,
      'Kontoen din er deaktivert av administrator. Dataene på nettbrettet er slettet.',
    )
    await tablet.getByRole('link', { name: 'Klienter' }).first().click()
    await tablet.getByText('Ingen klienter på dette nettbrettet ennå.').waitFor()
    const tinaLogin = () =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'tina', password: PASSWORD, deviceName: 'x' }),
      }).then((r) => r.status)
    expect(await tinaLogin()).toBe(401)
    // Tina's clients go to Ulf, then Tina is reactivated.
    await createPractitioner(server.url, 'ulf', 'ulf-password-123')
    await admin.reload()
    await admin
      .getByLabel('Overfør klientene til Tina Test til en annen behandler')
      .selectOption({ label: 'Test ulf' })
    await expect
      .poll(
        async () => (await serverRecords(server.url, 'ulf', 'ulf-password-123')).clients.length,
        { timeout: 20_000 },
      )
      .toBe(1)
    await admin
      .getByRole('row', { name: /Tina Test/ })
      .first()
      .getByRole('button', { name: 'Aktiver igjen' })
      .click()
    await expect
      .poll(() =>
        admin
          .getByRole('row', { name: /Tina Test/ })
          .first()
          .innerText(),
      )
      .toContain('Aktiv')
    expect(await tinaLogin()).toBe(200)
  })
})
