import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPractitioner, login } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import {
  AccountScreen,
  AdminScreen,
  choosePinIfAsked,
  sidewaysOverflow,
  unlockIfLocked,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '4321'
const SHOTS = process.env.LINJA_SHOTS
const VIEWPORTS = [
  ['768x1024', TABLET_PORTRAIT],
  ['1024x768', TABLET_LANDSCAPE],
] as const
const SECTIONS = [
  ['Ansatte', 'staff', 'Staff', 'Ansatte'],
  ['Enheter', 'units', 'Units', 'Enheter'],
  ['Katalogtilgang', 'directory', 'Directory access', 'Tilgang fra kommunens katalog'],
  ['Nettbrett', 'tablets', 'Tablets', 'Nettbrett'],
  ['Innstillinger', 'settings', 'Settings', 'Innstillinger for organisasjonen'],
  ['Tekstpakke', 'text-packs', 'Text pack', 'Tekstpakke for skjemaene'],
  ['Logg', 'audit', 'Audit log', 'Logg over hendelser'],
  ['Innsynslogg', 'access-log', 'Access log', 'Innsynslogg'],
] as const

describe('administration on a tablet: sections, a menu, and passwords set properly', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    server = await startServer({
      LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LINJA_DEMO: '1',
      LINJA_LOGIN_RATE_LIMIT: '1000',
    })
    browser = await launchChromium()
    // A deactivated practitioner: their row carries the hand-over choice, the widest row.
    const id = await createPractitioner(server.url, 'gone', 'gone-password-123')
    await fetch(`${server.url}/api/admin/people/${id}/deactivate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await login(server.url, 'admin', ADMIN_PASSWORD)}` },
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })
  afterEach(async () => {
    await context?.close()
    context = undefined
  })

  async function tablet(viewport: { width: number; height: number }, lang = 'nb') {
    context = await tabletContext(browser, viewport)
    await context.addInitScript((locale) => {
      if (!localStorage.getItem('linja.ui'))
        localStorage.setItem('linja.ui', JSON.stringify({ state: { locale }, version: 0 }))
    }, lang)
    const page = await context.newPage()
    await page.goto(server.url)
    return page
  }

  async function signInAdmin(page: Page) {
    await new AccountScreen(page).signIn('admin', ADMIN_PASSWORD, PIN)
    await choosePinIfAsked(page, PIN)
  }

  it.each(VIEWPORTS)(
    'at %s every section has its own address and a place in the menu, and nothing sticks out of the screen',
    async (size, viewport) => {
      const page = await tablet(viewport)
      await signInAdmin(page)
      await page.getByRole('link', { name: 'Administrasjon' }).click()
      await page.waitForURL(/\/admin\/staff$/)
      const admin = new AdminScreen(page)
      expect(await admin.current()).toBe('Ansatte')
      expect(await admin.menu.getByRole('link').allInnerTexts()).toEqual(
        SECTIONS.map(([name]) => name),
      )
      for (const [name, path, , heading] of SECTIONS) {
        await admin.open(name)
        await page.waitForURL(new RegExp(`/admin/${path}$`))
        await page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor()
        expect(await admin.current()).toBe(name)
        // One section at a time: the staff table is only in its own.
        expect(await admin.people().count()).toBe(path === 'staff' ? 1 : 0)
        if (path === 'staff' || path === 'tablets' || path === 'units')
          await page.locator('table.history tbody tr').first().waitFor()
        if (SHOTS)
          await page.screenshot({ path: `${SHOTS}/admin-${path}-nb-${size}.png`, fullPage: true })
        expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
      }
      // The hand-over choice and "Nytt passord" are on screen in the staff table.
      await admin.open('Ansatte')
      const handOver = page.getByLabel('Overfør klientene til Test gone til en annen behandler')
      const box = await handOver.boundingBox()
      expect(box && box.x + box.width <= viewport.width).toBe(true)
      expect(await seriousViolations(page)).toEqual([])
      // An address opens its section directly, also after a reload.
      await page.goto(`${server.url}/admin/audit`)
      await unlockIfLocked(page, PIN)
      await page.getByRole('heading', { level: 2, name: 'Logg over hendelser' }).waitFor()
      await page.goto(`${server.url}/admin`)
      await unlockIfLocked(page, PIN)
      await page.waitForURL(/\/admin\/staff$/)
    },
    180_000,
  )

  it('in English the menu and sections speak English', async () => {
    const page = await tablet(TABLET_PORTRAIT, 'en')
    await signInAdmin(page)
    await page.getByRole('link', { name: 'Administration' }).click()
    const admin = new AdminScreen(page)
    await admin.menu.waitFor()
    expect(await admin.menu.getByRole('link').allInnerTexts()).toEqual(
      SECTIONS.map(([, , en]) => en),
    )
    for (const [, path, en] of SECTIONS) {
      await admin.open(en)
      await page.waitForURL(new RegExp(`/admin/${path}$`))
      if (path === 'staff') await admin.people().locator('tbody tr').first().waitFor()
      expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
      if (SHOTS)
        await page.screenshot({ path: `${SHOTS}/admin-${path}-en-768x1024.png`, fullPage: true })
    }
  }, 120_000)

  it('a new password is set in a dialog, and the person chooses their own before any client screen', async () => {
    await createPractitioner(server.url, 'rita', 'rita-first-password')
    const page = await tablet(TABLET_LANDSCAPE)
    const prompts: string[] = []
    page.on('dialog', (d) => {
      prompts.push(d.type())
      void d.dismiss()
    })
    await signInAdmin(page)
    await page.getByRole('link', { name: 'Administrasjon' }).click()
    const admin = new AdminScreen(page)
    await admin.people().getByRole('cell', { name: 'Test rita', exact: true }).waitFor()
    const dialog = await admin.setPassword('Test rita', 'temporary-pass-1', 'temporary-pass-2')
    await dialog.getByText('Passordene er ikke like.').waitFor()
    expect(
      await dialog.getByLabel('Midlertidig passord (minst 10 tegn)').getAttribute('type'),
    ).toBe('password')
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/admin-password-dialog-nb-1024x768.png` })
    await dialog.getByLabel('Gjenta passordet').fill('temporary-pass-1')
    await dialog.getByRole('button', { name: 'Sett passordet' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page
      .getByText('Passordet til Test rita er satt. Personen velger sitt eget ved neste innlogging.')
      .waitFor()
    expect(prompts).toEqual([])
    await context?.close()

    // Rita signs in on a tablet in portrait with the temporary password.
    const tabletPage = await tablet(TABLET_PORTRAIT)
    await tabletPage.getByRole('link', { name: 'Konto' }).click()
    await tabletPage.getByLabel('Brukernavn').fill('rita')
    await tabletPage.getByLabel('Passord').fill('temporary-pass-1')
    await tabletPage.getByRole('button', { name: 'Logg inn' }).click()
    // Every sign-in ends with the person's PIN on this tablet (issue 13.1), then her own password.
    await tabletPage.getByLabel('Ny PIN-kode (4–8 sifre)').waitFor()
    await choosePinIfAsked(tabletPage, PIN)
    const choose = tabletPage.getByRole('heading', { level: 1, name: 'Velg ditt eget passord' })
    await choose.waitFor()
    // No client screen until she has: the client list's address shows the same.
    await tabletPage.getByRole('link', { name: 'Klienter' }).first().click()
    await choose.waitFor()
    expect(await tabletPage.getByLabel('Klientkode').count()).toBe(0)
    expect(await sidewaysOverflow(tabletPage)).toEqual({ page: 0, controls: [] })
    expect(await seriousViolations(tabletPage)).toEqual([])
    if (SHOTS) await tabletPage.screenshot({ path: `${SHOTS}/choose-password-nb-768x1024.png` })
    await tabletPage.getByLabel('Det midlertidige passordet').fill('temporary-pass-1')
    await tabletPage.getByLabel('Nytt passord (minst 10 tegn)').fill('temporary-pass-1')
    await tabletPage.getByLabel('Gjenta passordet').fill('temporary-pass-1')
    await tabletPage.getByRole('button', { name: 'Lagre passordet' }).click()
    await tabletPage.getByText('Det nye passordet må være et annet enn det midlertidige.').waitFor()
    await tabletPage.getByLabel('Nytt passord (minst 10 tegn)').fill('ritas-own-password')
    await tabletPage.getByLabel('Gjenta passordet').fill('ritas-own-password')
    await tabletPage.getByRole('button', { name: 'Lagre passordet' }).click()
    await choose.waitFor({ state: 'detached' })
    // After a restart she is not asked again.
    await tabletPage.reload()
    await tabletPage.locator('#root > *').first().waitFor()
    await tabletPage.waitForTimeout(500)
    expect(await choose.count()).toBe(0)
    expect(
      (
        await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            username: 'rita',
            password: 'ritas-own-password',
            deviceName: 'x',
          }),
        })
      ).status,
    ).toBe(200)
  }, 180_000)
})
