// A text pack is plain text: markup is refused at upload with the reason, and wording with '<', '>' and '&' shows as it is.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPractitioner, login } from './support/api.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import {
  AccountScreen,
  AdminScreen,
  ClientScreen,
  ClientsScreen,
  choosePinIfAsked,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '4321'
const SHOTS = process.env.LINJA_SHOTS ?? join(tmpdir(), 'sync')

// Placeholder wording: tests never carry licensed text.
const entry = (language: string, items: string[], instructions: string) => ({
  instrumentId: 'ORS',
  language,
  title: `ORS ${language}`,
  instructions,
  items: {
    'ors.individually': items[0],
    'ors.interpersonally': items[1],
    'ors.socially': items[2],
    'ors.overall': items[3],
  },
  endLabels: { low: 'lav < 1', high: 'høy > 9' },
})
const pack = (entries: unknown[]) => ({
  format: 'linja-text-pack',
  formatVersion: 1,
  version: '2026.3',
  licence: { licensee: 'Testkommune', reference: 'LIS-3' },
  entries,
})

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(password)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await new AccountScreen(page).passSecondFactor(username)
  await page.getByText(/Logget inn som/).waitFor()
  await choosePinIfAsked(page, PIN)
}

describe('text packs are plain text', () => {
  let server: ServerProcess
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
    browser = await launchChromium()
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    await server?.cleanup()
  })

  it('the admin’s upload of a pack with a script is refused, naming the field and the markup', async () => {
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    contexts.push(context)
    const admin = await context.newPage()
    await admin.goto(server.url)
    await signIn(admin, 'admin', ADMIN_PASSWORD)
    await admin.getByRole('link', { name: 'Administrasjon' }).click()
    // Administration has sections; the text packs have their own.
    await new AdminScreen(admin).open('Tekstpakke')
    const file = join(mkdtempSync(join(tmpdir(), 'linja-pack-')), 'pack.json')
    const items = ['<script>alert(1)</script>', 'B', 'C', '<img src=x onerror=alert(1)>']
    writeFileSync(file, JSON.stringify(pack([entry('nb', items, 'Instruks')])))
    await admin.getByLabel('Velg tekstpakke (JSON)').setInputFiles(file)
    await admin.getByText('Tekstpakken ble avvist (2 feil). Ingenting er endret.').waitFor()
    const problems = await admin.locator('ul.problems li').allInnerTexts()
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(
      /^entries\[0\]\.items\["ors\.individually"\]: Markup is not allowed/,
    )
    expect(problems[1]).toContain('<img src=x o')
    await admin.screenshot({ path: join(SHOTS, 'pack-refused-768.png'), fullPage: false })
    const active = await fetch(`${server.url}/api/text-packs/active`, {
      headers: { authorization: `Bearer ${await login(server.url, 'admin', ADMIN_PASSWORD)}` },
    })
    expect(active.status).toBe(204)
  })

  it('wording with a lone "<", ">" and "&" is shown in client mode exactly as written, as text', async () => {
    const adminToken = await login(server.url, 'admin', ADMIN_PASSWORD)
    const wording = ['Meg selv <3', 'Familie & venner', 'Skole < jobb > fritid', 'Alt i alt "< 10"']
    const uploaded = await fetch(`${server.url}/api/admin/text-packs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(pack([entry('so', wording, 'Sett et merke; 0 < merke < 10 & ferdig.')])),
    })
    expect(uploaded.status).toBe(201)
    await createPractitioner(server.url, 'siri', 'siri-password-123')

    const context = await tabletContext(browser, TABLET_PORTRAIT)
    contexts.push(context)
    const tablet = await context.newPage()
    await tablet.goto(server.url)
    await signIn(tablet, 'siri', 'siri-password-123')
    await tablet.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(tablet).createClient('SIRI-1', 1980, PIN)
    const language = tablet.getByLabel('Klientens språk')
    await expect
      .poll(async () => (await language.locator('option').allInnerTexts()).join('|'), {
        timeout: 20_000,
      })
      .toMatch(/somali/i)
    await new ClientScreen(tablet).handOver({
      pin: '1357',
      clientLanguage: 'so',
      buttonsLanguage: 'nb',
    })
    const labels = tablet.locator('.vas-label span')
    await expect.poll(() => labels.allInnerTexts()).toEqual(wording)
    expect(await tablet.locator('#form-instructions').innerText()).toBe(
      'Sett et merke; 0 < merke < 10 & ferdig.',
    )
    // Shown as text: no element was made from the wording.
    expect(await tablet.locator('form b, form img, form script').count()).toBe(0)
    await tablet.screenshot({ path: join(SHOTS, 'pack-plain-text-768.png'), fullPage: true })
  })
})
