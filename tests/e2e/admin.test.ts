import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPractitioner, login, serverRecords } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import { launchChromium, TABLET_LANDSCAPE, tabletContext } from './support/browser.ts'
import {
  AccountScreen,
  AdminScreen,
  ClientScreen,
  ClientsScreen,
  choosePinIfAsked,
  syncUntilVisible,
  unlockIfLocked,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PASSWORD = 'tina-password-12'
/** The PIN each person chooses after signing in on a tablet (the same as at hand-over). */
const PIN = '4321'

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
  await new AccountScreen(page).passSecondFactor(username)
  await page.getByText(/Logget inn som/).waitFor()
  await choosePinIfAsked(page, PIN)
}

/** Opens a section of the administration from its menu. */
const section = (page: Page, name: string) => new AdminScreen(page).open(name)

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
    await admin
      .getByRole('table', { name: 'Ansatte' })
      .getByRole('cell', { name: 'Tina Test', exact: true })
      .waitFor()

    // Organisation settings: a bad value is refused and changes nothing; a good one is saved.
    await section(admin, 'Innstillinger')
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
    await section(admin, 'Tekstpakke')
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
    await new ClientsScreen(tablet).createClient('TINA-1', 1990, PIN)
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
    await tablet.locator('.typed-items input').first().waitFor()
    for (const field of await tablet.locator('.typed-items input').all()) await field.fill('5')
    await tablet.getByRole('button', { name: 'Lagre' }).click()
    const rows = await new ClientScreen(tablet).chartTableRows(0)
    expect(await rows.first().innerText()).toMatch(/24,0$/)
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
    await unlockIfLocked(admin, PIN)
    await section(admin, 'Nettbrett')
    await admin.getByRole('heading', { name: 'Nettbrett' }).waitFor()
    await expect
      .poll(() => admin.getByRole('table', { name: 'Nettbrett' }).innerText())
      .toContain('Tina Test')
    await section(admin, 'Ansatte')
    admin.once('dialog', (d) => void d.accept())
    await admin
      .getByRole('table', { name: 'Ansatte' })
      .getByRole('row', { name: /Tina Test/ })
      .first()
      .getByRole('button', { name: 'Deaktiver' })
      .click()
    await expect
      .poll(() =>
        admin
          .getByRole('table', { name: 'Ansatte' })
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
    // Wiped, key and all: the tablet is new again and asks for a PIN or a sign-in first.
    await tablet.getByRole('link', { name: 'Klienter' }).first().click()
    await tablet.getByRole('heading', { name: 'Sikre nettbrettet før første klient' }).waitFor()
    expect(await tablet.getByText('TINA-1').count()).toBe(0)
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
    await unlockIfLocked(admin, PIN)
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
      .getByRole('table', { name: 'Ansatte' })
      .getByRole('row', { name: /Tina Test/ })
      .first()
      .getByRole('button', { name: 'Aktiver igjen' })
      .click()
    // The status cell says Aktiv (the row's "Aktiver igjen" button would match a looser check).
    await admin
      .getByRole('table', { name: 'Ansatte' })
      .getByRole('row', { name: /Tina Test/ })
      .first()
      .getByRole('cell', { name: 'Aktiv', exact: true })
      .waitFor()
    expect(await tinaLogin()).toBe(200)
  })
  it('admin keeps units, edits roles, units and supervisors, searches the audit log; offline shows the last copy with its date', async () => {
    const context = await tabletContext(browser, TABLET_LANDSCAPE)
    contexts.push(context)
    const admin = await context.newPage()
    admin.on('dialog', (d) => void d.accept())
    await admin.goto(server.url)
    await signIn(admin, 'admin', ADMIN_PASSWORD)
    const paalId = await createPractitioner(server.url, 'paal', 'paal-password-123')
    await admin.getByRole('link', { name: 'Administrasjon' }).click()
    const units = admin.getByRole('table', { name: 'Enheter' })
    const people = admin.getByRole('table', { name: 'Ansatte' })

    // Units: an empty name is refused; add two, rename one, retire the other.
    await section(admin, 'Enheter')
    await admin.getByRole('button', { name: 'Legg til enhet' }).click()
    await admin.getByText('Skriv inn navnet på enheten.').waitFor()
    for (const name of ['Rus', 'Barn']) {
      await admin.getByLabel('Navn på enheten').fill(name)
      await admin.getByRole('button', { name: 'Legg til enhet' }).click()
      await units.getByRole('cell', { name, exact: true }).waitFor()
    }
    await admin.getByRole('button', { name: 'Gi nytt navn til Barn' }).click()
    await admin.getByLabel('Nytt navn for Barn').fill('Barn og unge')
    await units.getByRole('button', { name: 'Lagre' }).click()
    await units.getByRole('cell', { name: 'Barn og unge' }).waitFor()
    await admin.getByRole('button', { name: 'Legg ned Rus' }).click()
    await expect
      .poll(() => units.getByRole('row', { name: /Rus/ }).innerText())
      .toContain('Lagt ned')

    // A supervisor is added with the form; Pål gets a unit, the leader role and Vera as supervisor.
    await section(admin, 'Ansatte')
    await admin.getByLabel('Navn', { exact: true }).fill('Vera Veileder')
    await admin.getByLabel('Brukernavn').fill('vera')
    await admin.getByLabel('Første passord (minst 10 tegn)').fill('vera-password-123')
    await admin
      .getByRole('group', { name: 'Roller' })
      .getByLabel('Veileder', { exact: true })
      .check()
    await admin.getByRole('button', { name: 'Legg til', exact: true }).click()
    await people.getByRole('cell', { name: 'Vera Veileder', exact: true }).waitFor()
    // A new practitioner can get a supervisor at once.
    await admin.getByLabel('Navn', { exact: true }).fill('Kari Ny')
    await admin.getByLabel('Brukernavn').fill('kari')
    await admin.getByLabel('Første passord (minst 10 tegn)').fill('kari-password-123')
    await admin
      .getByRole('combobox', { name: 'Veileder', exact: true })
      .selectOption({ label: 'Vera Veileder' })
    await admin.getByRole('button', { name: 'Legg til', exact: true }).click()
    await people.getByRole('cell', { name: 'Kari Ny', exact: true }).waitFor()
    await admin.getByRole('button', { name: 'Endre Test paal' }).click()
    const editor = admin.getByRole('form', { name: 'Endre Test paal' })
    // The retired unit cannot be chosen for someone who is not in it.
    expect(await editor.getByLabel('Rus').count()).toBe(0)
    await editor.getByLabel('Barn og unge').check()
    await editor.getByLabel('Enhetsleder').check()
    await editor.getByLabel('Vera Veileder').check()
    expect(await seriousViolations(admin)).toEqual([])
    await editor.getByRole('button', { name: 'Lagre' }).click()
    await editor.waitFor({ state: 'detached' })
    await expect
      .poll(() => people.getByRole('row', { name: /Test paal/ }).innerText())
      .toMatch(/Behandler, Enhetsleder|Enhetsleder, Behandler/)
    expect(await people.getByRole('row', { name: /Test paal/ }).innerText()).toContain(
      'Barn og unge',
    )
    const token = await login(server.url, 'admin', ADMIN_PASSWORD)
    const listed = (await (
      await fetch(`${server.url}/api/admin/people`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { id: string; username: string; supervisorIds: string[]; roles: string[] }[]
    const vera = listed.find((p) => p.username === 'vera')
    const paal = listed.find((p) => p.id === paalId)
    expect(paal?.supervisorIds).toEqual([vera?.id])
    expect(listed.find((p) => p.username === 'kari')?.supervisorIds).toEqual([vera?.id])
    expect(paal?.roles).toEqual(['leader', 'practitioner'])

    // The audit log: by action, then by person.
    await section(admin, 'Logg')
    await admin
      .getByRole('combobox', { name: 'Hendelse' })
      .selectOption({ label: 'Enhet lagt ned' })
    await admin.getByRole('button', { name: 'Søk', exact: true }).click()
    await admin.getByText('Fant én hendelse.').waitFor()
    const audit = admin.locator('table.audit tbody tr')
    expect(await audit.first().innerText()).toMatch(/Enhet lagt ned\tAdministrator\tRus/)
    await admin.getByRole('combobox', { name: 'Hendelse' }).selectOption({ label: 'Alle' })
    await admin.getByLabel('Person (gjorde det eller gjaldt)').selectOption({ label: 'Test paal' })
    await admin.getByRole('button', { name: 'Søk', exact: true }).click()
    await expect
      .poll(() => audit.allInnerTexts())
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('Veileder lagt til'),
          expect.stringContaining('Ansatt endret'),
          expect.stringContaining('Ansatt lagt til'),
        ]),
      )
    await admin.getByRole('textbox', { name: 'Fra' }).fill('2001-01-02')
    await admin.getByRole('textbox', { name: 'Til' }).fill('2001-01-01')
    await admin.getByRole('button', { name: 'Søk', exact: true }).click()
    await admin.getByText('Fra-datoen må være før til-datoen.').waitFor()

    // Reports, fetched once online.
    await admin.getByRole('link', { name: 'Rapporter' }).click()
    await admin.locator('table.compare tbody tr').first().waitFor()

    // Offline: both screens show the last copy with its date; a change says a connection is needed.
    await context.setOffline(true)
    await admin.getByRole('link', { name: 'Administrasjon' }).click()
    await admin.getByText(/Uten nett: viser kopien hentet/).waitFor()
    await people.getByRole('cell', { name: 'Vera Veileder', exact: true }).waitFor()
    await section(admin, 'Enheter')
    await admin.getByLabel('Navn på enheten').fill('Voksne')
    await admin.getByRole('button', { name: 'Legg til enhet' }).click()
    await admin.locator('.error').first().waitFor()
    expect(await units.getByRole('cell', { name: 'Voksne' }).count()).toBe(0)
    await admin.getByRole('link', { name: 'Rapporter' }).click()
    await admin.getByText(/Uten nett: viser kopien hentet/).waitFor()
    expect(await admin.locator('table.compare tbody tr').count()).toBeGreaterThan(0)
    await context.setOffline(false)
  })
  it('client mode offers the languages an uploaded text pack adds, with buttons in a language Linja has', async () => {
    const entry = (language: string, word: string) => ({
      instrumentId: 'ORS',
      language,
      title: `ORS ${word}`,
      instructions: `${word}: instructions`,
      items: {
        'ors.individually': `${word} 1`,
        'ors.interpersonally': `${word} 2`,
        'ors.socially': `${word} 3`,
        'ors.overall': `${word} 4`,
      },
      endLabels: { low: `${word} low`, high: `${word} high` },
    })
    const adminToken = await login(server.url, 'admin', ADMIN_PASSWORD)
    const uploaded = await fetch(`${server.url}/api/admin/text-packs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        format: 'linja-text-pack',
        formatVersion: 1,
        version: '2026.2',
        licence: { licensee: 'Testkommune', reference: 'LIS-2' },
        // Placeholder wording: tests never carry licensed text.
        entries: [entry('so', 'SOMALI'), entry('ar', 'ARABIC')],
      }),
    })
    expect(uploaded.status).toBe(201)
    await createPractitioner(server.url, 'sara', 'sara-password-123')

    const context = await tabletContext(browser, TABLET_LANDSCAPE)
    contexts.push(context)
    const tablet = await context.newPage()
    await tablet.goto(server.url)
    await signIn(tablet, 'sara', 'sara-password-123')
    await tablet.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(tablet).createClient('SARA-1', 1980, PIN)
    // The pack arrives with the sync after sign-in; the language list then offers it.
    const language = tablet.getByLabel('Klientens språk')
    await expect
      .poll(async () => (await language.locator('option').allInnerTexts()).join('|'), {
        timeout: 20_000,
      })
      .toMatch(/arabisk.*\|.*somali/i)
    const mode = await new ClientScreen(tablet).handOver({
      pin: '1357',
      clientLanguage: 'ar',
      buttonsLanguage: 'en',
    })
    await tablet.getByRole('heading', { name: 'How are things going?' }).waitFor()
    const label = tablet.locator('.vas-label span').first()
    expect(await label.innerText()).toBe('ARABIC 1')
    expect(await label.getAttribute('lang')).toBe('ar')
    expect(await label.getAttribute('dir')).toBe('rtl')
    expect(await tablet.locator('#form-instructions').getAttribute('lang')).toBe('ar')
    expect(await mode.slider(0).getAttribute('aria-valuetext')).toBe('Not marked')
    expect(await seriousViolations(tablet)).toEqual([])
    for (let i = 0; i < 4; i += 1) await mode.setByKeyboard(i, 6)
    await tablet.getByRole('button', { name: 'Done' }).click()
    await tablet.getByRole('heading', { name: 'Thank you!' }).waitFor()
  })
})
