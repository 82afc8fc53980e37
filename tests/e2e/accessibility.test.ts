// Gate: axe-core (WCAG 2.1 A/AA and best practice) on every screen of the app, in Norwegian and
// English, at 768x1024 and 1024x768: no serious or critical violation anywhere.
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, correctOnAnotherTablet } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { AccountScreen, AdminScreen, ClientScreen, ClientsScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const DIST = resolve(import.meta.dirname, '../../dist')
const DEMO_PASSWORD = 'linja-demo-2026'
const PIN = '2468'
const LANGUAGES = ['nb', 'en'] as const
type Language = (typeof LANGUAGES)[number]

const WORDS = {
  nb: {
    firstUse: 'Sikre nettbrettet før første klient',
    clients: 'Klienter',
    settings: 'Innstillinger',
    account: 'Konto',
    language: 'Språk',
    supervision: 'Veiledning',
    reports: 'Rapporter',
    admin: 'Administrasjon',
    staff: 'Ansatte',
    adminSections: [
      'Enheter',
      'Katalogtilgang',
      'Nettbrett',
      'Innstillinger',
      'Tekstpakke',
      'Logg',
      'Innsynslogg',
    ],
    correct: 'Rett',
    reason: 'Begrunnelse',
    saveCorrection: 'Lagre retting',
    syncNow: 'Synkroniser nå',
    problems: 'Endringer som trenger oppmerksomhet',
    problemNotice: /trenger oppmerksomhet etter synkronisering/,
    update: 'En ny versjon av Linja er klar.',
    showFigures: 'Vis nøkkeltall',
    period: 'Periode',
    unit: 'Enhet',
    showReport: 'Vis rapport',
    typed: /papir eller telefon/,
    save: 'Lagre',
  },
  en: {
    firstUse: 'Secure the tablet before the first client',
    clients: 'Clients',
    settings: 'Settings',
    account: 'Account',
    language: 'Language',
    supervision: 'Supervision',
    reports: 'Reports',
    admin: 'Administration',
    staff: 'Staff',
    adminSections: [
      'Units',
      'Directory access',
      'Tablets',
      'Settings',
      'Text pack',
      'Audit log',
      'Access log',
    ],
    correct: 'Correct',
    reason: 'Reason',
    saveCorrection: 'Save correction',
    syncNow: 'Sync now',
    problems: 'Changes that need attention',
    problemNotice: /needs? attention after syncing/,
    update: 'A new version of Linja is ready.',
    showFigures: 'Show figures',
    period: 'Period',
    unit: 'Unit',
    showReport: 'Show report',
    typed: /paper or phone/,
    save: 'Save',
  },
} as const

/** Violations per screen and size; the test fails with all of them listed at once. */
type Findings = Record<string, string[]>

async function audit(page: Page, findings: Findings, screens: string[], screen: string) {
  screens.push(screen)
  for (const size of [TABLET_PORTRAIT, TABLET_LANDSCAPE]) {
    await page.setViewportSize(size)
    const violations = await seriousViolations(page)
    if (violations.length > 0) {
      findings[`${screen} at ${size.width}x${size.height}`] = violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
      )
    }
  }
  await page.setViewportSize(TABLET_PORTRAIT)
}

describe('accessibility gate: every screen, nb and en, tablet sizes', () => {
  let server: ServerProcess
  let browser: Browser
  let staticDir: string
  let context: BrowserContext | undefined

  beforeAll(async () => {
    // A copy of the build, so the test can deploy a "new version" and see the update banner.
    staticDir = mkdtempSync(join(tmpdir(), 'linja-a11y-dist-'))
    cpSync(DIST, staticDir, { recursive: true })
    server = await startServer({
      STATIC_DIR: staticDir,
      LINJA_DEMO: '1',
      LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LINJA_LOGIN_RATE_LIMIT: '1000',
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
    rmSync(staticDir, { recursive: true, force: true })
  })
  afterEach(async () => {
    await context?.close()
    context = undefined
  })

  /** A tablet whose stored language preference is `lang` (as the settings screen leaves it). */
  async function tablet(lang: Language): Promise<Page> {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    await context.addInitScript((locale) => {
      if (!localStorage.getItem('linja.ui')) {
        localStorage.setItem('linja.ui', JSON.stringify({ state: { locale }, version: 0 }))
      }
    }, lang)
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByRole('heading', { level: 1, name: WORDS[lang].firstUse }).waitFor()
    return page
  }

  const nav = (page: Page, name: string) =>
    page.getByRole('link', { name, exact: true }).first().click()

  /** Presses "Sync now" on the account page until `target` shows (a running sync disables it). */
  async function syncUntil(page: Page, lang: Language, target: ReturnType<Page['getByText']>) {
    for (let i = 0; i < 100; i++) {
      if (await target.isVisible().catch(() => false)) return
      const button = page.getByRole('button', { name: WORDS[lang].syncNow })
      if (await button.isEnabled().catch(() => false)) {
        await button.click({ timeout: 1000 }).catch(() => undefined)
      }
      await page.waitForTimeout(300)
    }
    await target.waitFor({ timeout: 1000 })
  }

  it.each(LANGUAGES)(
    '%s: a practitioner from the first screen through client mode, settings, account, sync problems and the update banner',
    async (lang) => {
      const w = WORDS[lang]
      const findings: Findings = {}
      const screens: string[] = []
      context = await tabletContext(browser, TABLET_PORTRAIT)
      const page = await context.newPage()
      await page.goto(server.url)
      await page.getByRole('heading', { level: 1, name: WORDS.nb.firstUse }).waitFor()
      if (lang === 'en') {
        // The way a person does it: settings, language.
        await nav(page, 'Innstillinger')
        await page.getByLabel('Språk').selectOption('en')
        await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
        await nav(page, 'Clients')
      }
      await page.getByRole('heading', { level: 1, name: w.firstUse }).waitFor()
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)
      await audit(page, findings, screens, 'first screen (a PIN or a sign-in before any client)')
      await nav(page, w.account)
      await page.getByRole('textbox').first().waitFor()
      await audit(page, findings, screens, 'sign-in')

      await new AccountScreen(page).signIn('pia', DEMO_PASSWORD)
      await audit(page, findings, screens, 'account (signed in)')
      await nav(page, w.clients)
      const rows = page.locator('.client-table tbody tr')
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(6)
      await audit(page, findings, screens, 'client list')

      await page.getByRole('link', { name: 'PH-01', exact: true }).click()
      await page.locator('#chart-outcome').waitFor()
      await page.locator('#chart-session').waitFor()
      for (const button of await page.locator('.chart-table > button').all()) {
        await button.click()
      }
      await audit(page, findings, screens, 'client page with charts, tables and start session')
      await page.getByRole('button', { name: w.correct, exact: true }).first().click()
      await page.locator('dialog.record-dialog').waitFor()
      await audit(page, findings, screens, 'correction dialog')
      await page.keyboard.press('Escape')
      await page.locator('dialog.record-dialog').waitFor({ state: 'detached' })
      await page.getByRole('link', { name: w.typed }).click()
      await page.locator('.typed-items input').first().waitFor()
      await audit(page, findings, screens, 'typed entry (paper or phone)')
      await page.goBack()

      const client = new ClientScreen(page)
      const ors = await client.handOver({ pin: PIN })
      await audit(page, findings, screens, 'client mode: ORS lines')
      await ors.markAll([0.2, 0.4, 0.6, 0.8])
      await audit(page, findings, screens, 'client mode: ORS marked')
      await ors.doneButton().click()
      await page.locator('.client-thanks').waitFor()
      await audit(page, findings, screens, 'client mode: thanks')
      await page.getByRole('button', { name: /^(Behandler|Practitioner)$/ }).click()
      await page.getByLabel(/PIN/).waitFor()
      await audit(page, findings, screens, 'PIN dialog')
      await page.getByLabel(/PIN/).fill(PIN)
      await page.getByRole('button', { name: /Lås opp|Unlock/ }).click()
      await page.getByRole('heading', { level: 1, name: /PH-01/ }).waitFor()
      const srs = await client.handOver({ form: 'SRS' })
      await audit(page, findings, screens, 'client mode: SRS lines')
      await srs.leave(PIN)

      const year = new Date().getFullYear()
      for (const [code, age, screen] of [
        [`C9-${lang}`, 9, 'client mode: child form (faces at the line ends)'],
        [`C4-${lang}`, 4, 'client mode: young child (face choice)'],
      ] as const) {
        await nav(page, w.clients)
        await new ClientsScreen(page).createClient(code, year - age, PIN)
        const mode = await client.handOver()
        await audit(page, findings, screens, screen)
        await mode.leave(PIN)
        await page.getByRole('heading', { level: 1, name: new RegExp(code) }).waitFor()
      }

      await nav(page, w.settings)
      await page.getByLabel(w.language).waitFor()
      await audit(page, findings, screens, 'settings')

      // A sync problem: another tablet corrected a form this tablet corrects too.
      const code = `CF-${lang}`
      await nav(page, w.clients)
      await new ClientsScreen(page).createClient(code, 1970, PIN)
      await page.getByRole('link', { name: w.typed }).click()
      await page.locator('.typed-items input').first().waitFor()
      for (const field of await page.locator('.typed-items input').all()) await field.fill('5')
      await page.getByRole('button', { name: w.save, exact: true }).click()
      await page.getByRole('heading', { level: 1, name: new RegExp(code) }).waitFor()
      await nav(page, w.account)
      await expect
        .poll(
          async () => {
            await page
              .getByRole('button', { name: w.syncNow })
              .click({ timeout: 1000 })
              .catch(() => undefined)
            return correctOnAnotherTablet(server.url, 'pia', DEMO_PASSWORD, code).then(
              () => true,
              () => false,
            )
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(true)
      await nav(page, w.clients)
      await page.getByRole('link', { name: code, exact: true }).click()
      await page.getByRole('button', { name: w.correct, exact: true }).first().click()
      const dialog = page.locator('dialog.record-dialog')
      await dialog.locator('input').first().fill('6')
      await dialog.getByLabel(w.reason).fill('typo')
      await dialog.getByRole('button', { name: w.saveCorrection }).click()
      await dialog.waitFor({ state: 'detached' })
      await nav(page, w.account)
      await syncUntil(page, lang, page.getByText(w.problems))
      await audit(page, findings, screens, 'account: sync problems list')
      await nav(page, w.clients)
      await page.getByText(w.problemNotice).waitFor()
      await audit(page, findings, screens, 'client list with the sync problem notice')

      // A new version is deployed while the app is open.
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
        timeout: 30_000,
      })
      appendFileSync(join(staticDir, 'sw.js'), `\n// redeployed ${lang} ${Date.now()}\n`)
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())?.update()
      })
      await page.getByText(w.update).waitFor({ timeout: 30_000 })
      await audit(page, findings, screens, 'update banner')

      expect(findings).toEqual({})
      expect(screens).toHaveLength(18)
    },
    300_000,
  )

  it.each(LANGUAGES)(
    '%s: supervision, reports and administration',
    async (lang) => {
      const w = WORDS[lang]
      const findings: Findings = {}
      const screens: string[] = []

      let page = await tablet(lang)
      await new AccountScreen(page).signIn('vera', DEMO_PASSWORD)
      await nav(page, w.supervision)
      const supervisee = page.locator('section.supervisee').first()
      await supervisee.locator('tbody tr').first().waitFor()
      await audit(page, findings, screens, 'supervision')
      await supervisee.getByRole('button', { name: w.showFigures }).click()
      await supervisee.locator('table.aggregates').waitFor()
      await audit(page, findings, screens, 'supervision with figures')
      await supervisee.locator('tbody tr th a').first().click()
      await page.locator('#chart-outcome').waitFor()
      await audit(page, findings, screens, "a supervisee's client (read only)")
      await context?.close()

      page = await tablet(lang)
      await new AccountScreen(page).signIn('lars', DEMO_PASSWORD)
      await nav(page, w.reports)
      await page.getByRole('combobox', { name: w.period }).selectOption('year')
      await expect.poll(() => page.locator('table.compare tbody tr').count()).toBeGreaterThan(1)
      await audit(page, findings, screens, 'reports: units compared')
      await page.getByRole('combobox', { name: w.unit, exact: true }).selectOption({ index: 1 })
      await page.getByRole('button', { name: w.showReport }).click()
      await page.locator('table.trend tbody tr').first().waitFor()
      await audit(page, findings, screens, 'reports: one unit over time')
      await context?.close()

      page = await tablet(lang)
      await new AccountScreen(page).signIn('admin', ADMIN_PASSWORD)
      await nav(page, w.admin)
      await page.getByRole('heading', { name: w.staff, exact: true }).waitFor()
      await page.locator('table.history tbody tr').first().waitFor()
      await audit(page, findings, screens, 'administration')
      for (const name of w.adminSections) {
        await new AdminScreen(page).open(name)
        await page.locator('h2').first().waitFor()
        await audit(page, findings, screens, `administration: ${name}`)
      }

      expect(findings).toEqual({})
      expect(screens).toHaveLength(13)
    },
    180_000,
  )
})
