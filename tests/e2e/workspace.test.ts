import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { ClientScreen, ClientsScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const SHOTS = 'tests/e2e/screenshots'
const PIN = '1357'

/** Splits one CSV line with ';' separators and RFC 4180 quotes. */
function csvCells(line: string): string[] {
  const cells: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ';') {
      cells.push(cell)
      cell = ''
    } else cell += c
  }
  cells.push(cell)
  return cells
}

describe('practitioner workspace on the device', () => {
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

  async function typedOrs(scores: string[], date: string) {
    await page.getByRole('link', { name: /papir eller telefon|paper or phone/ }).click()
    await page.getByLabel(/Dato for timen|Date of the session/).fill(date)
    const fields = page.locator('.typed-items input')
    for (const [i, s] of scores.entries()) await fields.nth(i).fill(s)
    await page.getByRole('button', { name: /^(Lagre|Save)$/ }).click()
    await page.locator('.status-panel').waitFor()
  }

  it('runs ORS and SRS sessions offline, turns red on a 5-point drop with the reason, charts it and exports it', async () => {
    context = await tabletContext(browser, TABLET_LANDSCAPE, { acceptDownloads: true })
    page = await context.newPage()
    await page.goto(server.url)
    // The app warms up its chart code while idle; after that, everything happens offline.
    await page.waitForLoadState('networkidle')
    await context.setOffline(true)
    const clients = new ClientsScreen(page)
    await clients.createClient('K-RED', 1980, PIN)
    const threeWeeksAgo = new Date(Date.now() - 21 * 86_400_000).toISOString().slice(0, 10)
    await typedOrs(['5', '5', '5', '5'], threeWeeksAgo)
    expect(await page.locator('.status-panel').innerText()).toContain('Grå')

    const client = new ClientScreen(page)
    const ors = await client.handOver({ pin: PIN, form: 'ORS' })
    for (const [i, v] of [4, 4, 4, 3].entries()) await ors.setByKeyboard(i, v)
    expect(await ors.values()).toEqual(['4', '4', '4', '3'])
    await ors.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()
    await ors.leave(PIN)
    await page.getByRole('heading', { name: 'Klient K-RED' }).waitFor()
    const srs = await client.handOver({ form: 'SRS' })
    for (let i = 0; i < 4; i++) await srs.setByKeyboard(i, 9.5)
    expect(await srs.values()).toEqual(['9.5', '9.5', '9.5', '9.5'])
    await srs.doneButton().click()
    await page.getByRole('heading', { name: 'Takk!' }).waitFor()
    await srs.leave(PIN)

    const status = page.locator('.status-panel')
    await status.waitFor()
    expect(await status.innerText()).toContain('Rød')
    expect(await status.innerText()).toContain(
      'Pålitelig forverring: ORS fra 20,0 til 15,0 (−5,0 poeng',
    )

    // The charts: canvas drawn, and the table view lists the points and the cut-off.
    await page.locator('#chart-outcome').waitFor()
    await page.locator('#chart-session').waitFor()
    const orsRows = await (await client.chartTableRows(0)).allInnerTexts()
    expect(orsRows).toHaveLength(2)
    // Session, its date, the total.
    expect(orsRows[0]).toMatch(/^1\s+\d+\. \S+ \d{4}\s+20,0/)
    expect(orsRows[1]).toMatch(/^2\s+.+\s+15,0 \(Pålitelig forverring\)/)
    expect(orsRows[1]).toContain('25,0')
    expect(await (await client.chartTableRows(1)).first().innerText()).toMatch(/^2\s+.+\s+38,0/)
    const drawn = await page.locator('#chart-outcome').evaluate((c) => {
      const canvas = c as HTMLCanvasElement
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data
      let ink = 0
      for (let i = 0; data && i < data.length; i += 4) if ((data[i] ?? 255) < 200) ink++
      return ink
    })
    expect(drawn).toBeGreaterThan(500)
    await page.screenshot({ path: `${SHOTS}/client-page-red-1024x768.png`, fullPage: true })

    // The list puts the red client first and filters by colour.
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await clients.createClient('K-NEW', 1990, PIN)
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    const rows = page.locator('.client-table tbody tr')
    await expect.poll(() => rows.count()).toBe(2)
    expect(await rows.first().innerText()).toContain('K-RED')
    expect(await rows.first().innerText()).toContain('Rød')
    await page.getByLabel('Status').selectOption('red')
    await expect.poll(() => rows.count()).toBe(1)
    await page.getByLabel('Status').selectOption('all')
    await page.getByLabel('Søk på kode').fill('new')
    await expect.poll(() => rows.allInnerTexts()).toEqual([expect.stringContaining('K-NEW')])
    await page.screenshot({ path: `${SHOTS}/client-list-768.png` })

    // Export files parse and contain the scores.
    await page.getByRole('link', { name: 'K-NEW' }).click()
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('link', { name: 'Innstillinger' }).click()
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned CSV' }).click(),
    ])
    const csv = readFileSync((await csvDownload.path()) as string, 'utf8').replace(/^\uFEFF/, '')
    const lines = csv.trim().split(/\r\n/)
    const header = csvCells(lines[0] ?? '')
    expect(lines).toHaveLength(4)
    const totalCol = header.indexOf('total')
    const instrumentCol = header.indexOf('instrument')
    expect(totalCol).toBeGreaterThan(0)
    const totals = lines.slice(1).map((l) => {
      const cells = csvCells(l)
      return `${cells[instrumentCol]}=${cells[totalCol]}`
    })
    expect(totals.sort()).toEqual(['ORS=15,0', 'ORS=20,0', 'SRS=38,0'])
    const [fhirDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Last ned FHIR (R4)' }).click(),
    ])
    const bundle = JSON.parse(readFileSync((await fhirDownload.path()) as string, 'utf8')) as {
      resourceType: string
      entry: {
        resource: {
          resourceType: string
          item?: { linkId: string; answer?: { valueDecimal: number }[] }[]
        }
      }[]
    }
    expect(bundle.resourceType).toBe('Bundle')
    const responses = bundle.entry.filter(
      (e) => e.resource.resourceType === 'QuestionnaireResponse',
    )
    expect(responses).toHaveLength(3)
    const answers = responses.flatMap((r) =>
      (r.resource.item ?? []).flatMap((i) => i.answer?.map((a) => a.valueDecimal) ?? []),
    )
    expect(answers).toContain(3)
    expect(answers).toContain(9.5)
  })

  it('corrects a record as a new version and voids one with a reason, keeping both in the history', async () => {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    page = await context.newPage()
    await page.goto(server.url)
    await new ClientsScreen(page).createClient('K-COR', 1975, PIN)
    await typedOrs(['6', '6', '6', '6'], new Date().toISOString().slice(0, 10))
    await page.getByRole('button', { name: 'Rett', exact: true }).click()
    const dialog = page.locator('dialog.record-dialog')
    await dialog.locator('input').first().fill('7,5')
    await dialog.getByRole('button', { name: 'Lagre retting' }).click()
    await dialog.getByText('Skriv en begrunnelse.').waitFor()
    await dialog.getByLabel('Begrunnelse').fill('Feil avlest fra papir')
    await dialog.getByRole('button', { name: 'Lagre retting' }).click()
    const rows = new ClientScreen(page).historyRows()
    await expect.poll(() => rows.count()).toBe(2)
    const texts = await rows.allInnerTexts()
    expect(texts.join('\n')).toContain('7,5 · 6,0 · 6,0 · 6,0')
    expect(texts.join('\n')).toContain('Erstattet av retting')
    await page.getByRole('button', { name: 'Annuller' }).first().click()
    await page.locator('dialog.record-dialog').getByLabel('Begrunnelse').fill('Feil klient')
    await page.locator('dialog.record-dialog').getByRole('button', { name: 'Annuller' }).click()
    await expect
      .poll(async () => (await rows.allInnerTexts()).join('\n'))
      .toContain('Annullert: Feil klient')
    expect(await rows.count()).toBe(2)
    expect(await page.locator('.status-panel').innerText()).toContain('Grå')
  })
})
