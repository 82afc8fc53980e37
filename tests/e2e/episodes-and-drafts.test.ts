import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import {
  ClientScreen,
  ClientsScreen,
  choosePinIfAsked,
  EpisodeControls,
  NewClientForm,
  UnfinishedForms,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '2468'

// Issue 13, points 2 (episodes), 3 (unfinished forms), 6 (new client) and the client list's order.
describe('a practitioner’s episodes, unfinished forms and new clients', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined
  let page: Page

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD, LINJA_DEMO: '1' })
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

  async function tablet(viewport = TABLET_PORTRAIT) {
    context = await tabletContext(browser, viewport)
    page = await context.newPage()
    await page.goto(server.url)
  }

  /** The axe gate for the screens this file adds (the dialogs only exist in these steps). */
  async function expectAccessible() {
    expect(await seriousViolations(page)).toEqual([])
  }

  /** The client marks a whole ORS on the tablet, then the practitioner takes it back. */
  async function fullOrs(code: string, form = 'ORS') {
    const mode = await new ClientScreen(page).handOver({ pin: PIN, form })
    for (let i = 0; i < 4; i++) await mode.setByKeyboard(i, 5)
    await mode.doneButton().click()
    await page.getByRole('heading', { name: /Takk/ }).waitFor()
    await mode.leave(PIN)
    await page.getByRole('heading', { name: `Klient ${code}` }).waitFor()
  }

  it('13.6: asks plainly for a birth year or an age group, with the error beside the fields', async () => {
    await tablet()
    await new ClientsScreen(page).choosePinIfFirstUse(PIN)
    const form = new NewClientForm(page)
    expect(await form.birthYear.getAttribute('placeholder')).toBeNull()
    await form.code.fill('ALDER-1')
    await form.submit()
    const error = page.locator('#age-error')
    expect(await error.innerText()).toBe('Oppgi fødselsåret eller velg en aldersgruppe.')
    expect(await form.birthYear.getAttribute('aria-invalid')).toBe('true')
    expect(await form.birthYear.getAttribute('aria-describedby')).toContain('age-error')
    // The error stands beside the age fields, not at the end of the form.
    const fieldset = page.locator('fieldset.age-choice')
    expect(await fieldset.locator('#age-error').count()).toBe(1)
    expect(await fieldset.locator('legend').innerText()).toBe('Alder')
    const groups = await form.ageGroup.locator('option').allInnerTexts()
    expect(groups).toEqual([
      'Velg aldersgruppe',
      'Under 6 år',
      'Barn 6–12 år',
      'Ungdom 13–17 år',
      'Voksen',
    ])
    await expectAccessible()
    await form.ageGroup.selectOption({ label: 'Barn 6–12 år' })
    await form.submit()
    await page.getByRole('heading', { level: 1, name: 'Klient ALDER-1' }).waitFor()
    expect(await page.locator('.client-page > p.muted').first().innerText()).toContain(
      'Barn 6–12 år',
    )
    await page.getByRole('radio', { name: /^CORS / }).waitFor()
  })

  it('13.2: ending asks how it ended and confirms; a mistake is reopened with a reason; a new episode starts afresh', async () => {
    await tablet()
    await new ClientsScreen(page).createClient('FORLOP-1', 1980, PIN)
    await fullOrs('FORLOP-1')
    const episodes = new EpisodeControls(page)

    // Nothing ends at one tap: a dialog asks how it ended, and cancelling leaves it open.
    const dialog = await episodes.openEndDialog()
    expect(await dialog.getByRole('heading').innerText()).toBe('Avslutt forløpet')
    await dialog.getByRole('button', { name: 'Avslutt forløpet' }).click()
    expect(await dialog.getByRole('alert').innerText()).toBe('Velg hvordan forløpet endte.')
    await expectAccessible()
    await dialog.getByRole('button', { name: 'Avbryt' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(await episodes.newEpisodeButton().count()).toBe(0)

    await episodes.end('Uplanlagt (frafall)')
    await page
      .getByRole('heading', { name: /Forløpet ble avsluttet .*: Uplanlagt \(frafall\)\./ })
      .waitFor()
    await expectAccessible()
    expect(await page.getByRole('button', { name: 'Gi nettbrettet til klienten' }).count()).toBe(0)

    await episodes.reopen('Feil klient')
    await page.getByRole('heading', { name: 'Start skjema' }).waitFor()
    expect(await episodes.historyHeadings().allInnerTexts()).toEqual([
      expect.stringMatching(/^Forløp 1: .* – pågår$/),
    ])
    expect(await page.locator('.episode-events').innerText()).toMatch(
      /Gjenåpnet .*: «Feil klient» \(var avsluttet .*: Uplanlagt \(frafall\)\)\./,
    )

    // Ended for real; the client comes back: a new episode, with status and history to match.
    await episodes.end('Planlagt (enige)')
    await episodes.newEpisodeButton().click()
    await page.getByRole('heading', { name: 'Start skjema' }).waitFor()
    const headings = await episodes.historyHeadings().allInnerTexts()
    expect(headings).toHaveLength(2)
    expect(headings[0]).toMatch(/^Forløp 2: .* – pågår$/)
    expect(headings[1]).toMatch(/^Forløp 1: .* – \d/)
    expect(await page.locator('.episode-history').nth(1).locator('tbody tr').count()).toBe(1)
    expect(await page.locator('.episode-history').first().innerText()).toContain(
      'Ingen skjema i dette forløpet.',
    )
    // Status follows the new episode: grey, no ORS yet (the old one had one).
    const status = await page.locator('.status-panel').innerText()
    expect(status).toContain('Ingen ORS ennå')
    expect(status).not.toContain('Avsluttet')
    await fullOrs('FORLOP-1')
    expect(await page.locator('.episode-history').first().locator('tbody tr').innerText()).toMatch(
      /ORS\s+1\s/,
    )
  })

  it('13.3: an unfinished form is handed back with its marks, or discarded after a confirmation, and takes no session number', async () => {
    await tablet(TABLET_LANDSCAPE)
    await new ClientsScreen(page).createClient('UTKAST-1', 1980, PIN)
    const client = new ClientScreen(page)
    const started = await client.handOver({ pin: PIN, form: 'ORS' })
    await started.setByKeyboard(0, 3)
    await started.setByKeyboard(1, 6)
    await started.waitUntilSaved(2)
    await started.leave(PIN)
    await page.getByRole('heading', { name: 'Klient UTKAST-1' }).waitFor()

    const unfinished = new UnfinishedForms(page)
    expect(await unfinished.items().innerText()).toMatch(/ORS, startet .*: 2 av 4 markert/)
    // Not in the history: it is no form yet.
    await page.getByText('Ingen skjema fylt ut ennå.').waitFor()
    expect(await client.historyRows().count()).toBe(0)

    // The list's next step leads to it.
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('link', { name: 'Fortsett påbegynt skjema' }).click()
    await unfinished.section.waitFor()
    await expectAccessible()
    const mode = await unfinished.handBack()
    expect(await mode.values()).toEqual(['3', '6', null, null])
    await mode.setByKeyboard(2, 7)
    await mode.setByKeyboard(3, 8)
    await mode.doneButton().click()
    await page.getByRole('heading', { name: /Takk/ }).waitFor()
    await mode.leave(PIN)
    await page.getByRole('heading', { name: 'Klient UTKAST-1' }).waitFor()
    await expect.poll(() => unfinished.section.count()).toBe(0)
    const rows = await client.historyRows().allInnerTexts()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatch(/ORS\s+1\s+3,0 · 6,0 · 7,0 · 8,0/)

    // An SRS left half-way is discarded, only after saying so; the next forms keep their numbers.
    const srs = await client.handOver({ form: 'SRS' })
    await srs.setByKeyboard(0, 9)
    await srs.waitUntilSaved(1)
    await srs.leave(PIN)
    await page.getByRole('heading', { name: 'Klient UTKAST-1' }).waitFor()
    await unfinished.items().getByRole('button', { name: 'Forkast …' }).click()
    const confirm = page.getByRole('dialog')
    expect(await confirm.getByRole('heading').innerText()).toBe('Forkaste påbegynt SRS?')
    await expectAccessible()
    await confirm.getByRole('button', { name: 'Avbryt' }).click()
    expect(await unfinished.items().count()).toBe(1)
    await unfinished.discard()
    await expect.poll(() => unfinished.section.count()).toBe(0)
    await fullOrs('UTKAST-1', 'SRS')
    await fullOrs('UTKAST-1', 'ORS')
    const sessions = await client
      .historyRows()
      .evaluateAll((trs) =>
        trs.map((tr) => `${tr.children[1]?.textContent} ${tr.children[2]?.textContent}`),
      )
    expect(sessions.sort()).toEqual(['ORS 1', 'ORS 2', 'SRS 1'])
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    // The list re-reads the device after it is shown: the last session appears once it has.
    await page.locator('.client-table tbody tr').first().waitFor()
    await expect
      .poll(() => page.locator('.client-table tbody tr td').nth(1).innerText())
      .not.toBe('–')
    expect(await page.getByRole('link', { name: 'Fortsett påbegynt skjema' }).count()).toBe(0)
    expect(await page.locator('.client-table tbody tr td').nth(2).innerText()).not.toBe(
      'Fortsett påbegynt skjema',
    )
  })

  it('the list: "Ny klient" above the list; an ended episode comes last, marked ended, below a new grey client', async () => {
    await tablet(TABLET_LANDSCAPE)
    const clients = new ClientsScreen(page)
    await clients.createClient('A-SLUTT', 1980, PIN)
    await fullOrs('A-SLUTT')
    await new EpisodeControls(page).end('Planlagt (enige)')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await clients.createClient('B-NY', 1990, PIN)
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    const rows = page.locator('.client-table tbody tr')
    await expect.poll(() => rows.count()).toBe(2)
    const texts = await rows.allInnerTexts()
    expect(texts[0]).toContain('B-NY')
    expect(texts[0]).toContain('Grå')
    expect(texts[1]).toContain('A-SLUTT')
    expect(texts[1]).toContain('Avsluttet')
    expect(texts[1]).not.toMatch(/Grønn|Grå|Rød|Oransje/)
    const form = new NewClientForm(page)
    const formTop = (await form.heading.boundingBox())?.y ?? Number.POSITIVE_INFINITY
    const tableTop = (await page.locator('.client-table').boundingBox())?.y ?? 0
    expect(formTop).toBeLessThan(tableTop)
    await expectAccessible()
    await page.getByLabel('Status').selectOption({ label: 'Avsluttet forløp' })
    expect(await rows.allInnerTexts()).toEqual([expect.stringContaining('A-SLUTT')])
  })

  it('Veiledning: a supervisee’s clients whose episode ended come last, marked ended', async () => {
    await tablet(TABLET_LANDSCAPE)
    await page.goto(`${server.url}/account`)
    await page.getByLabel('Brukernavn').fill('vera')
    await page.getByLabel('Passord').fill('linja-demo-2026')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByText(/Logget inn som/).waitFor()
    // A sign-in ends with the supervisor's PIN on this tablet (issue 13.1).
    await choosePinIfAsked(page, '2468')
    await page.getByRole('link', { name: 'Veiledning' }).click()
    const first = page.locator('section.supervisee').first()
    await first.locator('tbody tr').first().waitFor()
    const ended = await first
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.querySelector('.status-closed') !== null))
    expect(ended).toContain(true)
    expect(ended).toContain(false)
    // Once an ended client is listed, only ended clients follow.
    expect(ended.slice(ended.indexOf(true))).not.toContain(false)
    const lastStatus = await first.locator('tbody tr').last().locator('td').first().innerText()
    expect(lastStatus).toBe('Avsluttet')
    await expectAccessible()
  })
})
