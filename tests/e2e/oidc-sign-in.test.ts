import { createServer } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ProviderProcess, startProvider } from '../server/support/oidc-provider-process.ts'
import { ADMIN_PASSWORD, login } from './support/api.ts'
import {
  launchChromium,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { AccountScreen, AdminScreen, LockScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const SOCIAL = '6f1c7a52-0d0e-4b7c-9a51-1c2b3d4e5f60'
const SHOTS = process.env.LINJA_SCREENSHOTS ?? 'tests/e2e/screenshots'

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The provider's own login page (oidc-provider's), then its consent page. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('any password')
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
}

describe('sign-in with the municipality account on a tablet', () => {
  let provider: ProviderProcess
  let server: ServerProcess
  let browser: Browser

  beforeAll(async () => {
    const port = await freePort()
    const base = `http://localhost:${port}`
    provider = await startProvider({
      redirectUris: [`${base}/api/auth/oidc/callback`],
      accounts: {
        kari: {
          oid: 'oid-kari',
          name: 'Kari Nordmann',
          email: 'kari@kommune.no',
          groups: [SOCIAL],
        },
        olav: { oid: 'oid-olav', name: 'Olav Kantine', email: 'olav@kommune.no', groups: ['x'] },
      },
    })
    server = await startServer(
      {
        LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LINJA_OIDC_ISSUER: provider.issuer,
        LINJA_OIDC_CLIENT_ID: provider.clientId,
        LINJA_OIDC_CLIENT_SECRET: provider.clientSecret,
        LINJA_OIDC_REDIRECT_BASE_URL: base,
      },
      undefined,
      port,
    )
    const admin = await login(server.url, 'admin', ADMIN_PASSWORD)
    const res = await fetch(`${server.url}/api/admin/directory-groups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ groupId: SOCIAL, role: 'practitioner' }),
    })
    expect(res.status).toBe(201)
    browser = await launchChromium()
  }, 90_000)
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
    await provider?.stop()
  })

  it('a person in no mapped group is told whom to ask; a mapped person comes back to the PIN step and into Linja', async () => {
    const refused = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await refused.newPage()
    await page.goto(`${server.url}/account`)
    const button = page.getByRole('button', { name: 'Logg inn med kommunens konto' })
    await button.waitFor()
    await page.screenshot({ path: `${SHOTS}/oidc-button-768x1024.png` })
    await page.setViewportSize(TABLET_LANDSCAPE)
    await page.screenshot({ path: `${SHOTS}/oidc-button-1024x768.png` })
    await page.setViewportSize(TABLET_PORTRAIT)
    await button.click()
    await signInAtProvider(page, 'olav')
    const refusal = page.getByText(/Be administratoren \(utviklingslederen\) i kommunen om tilgang/)
    await refusal.waitFor()
    expect(new URL(page.url()).hash).toBe('')
    await page.screenshot({ path: `${SHOTS}/oidc-refused-768x1024.png` })
    await page.setViewportSize(TABLET_LANDSCAPE)
    await page.screenshot({ path: `${SHOTS}/oidc-refused-1024x768.png` })
    await refused.close()

    const context = await tabletContext(browser, TABLET_PORTRAIT)
    const tablet = await context.newPage()
    await tablet.goto(`${server.url}/account`)
    await tablet.getByRole('button', { name: 'Logg inn med kommunens konto' }).click()
    await signInAtProvider(tablet, 'kari')
    // Back in Linja: the PIN step, exactly as after a password sign-in.
    const lock = new LockScreen(tablet)
    await lock.pinStep.waitFor()
    expect(await tablet.getByText('Logget inn som Kari Nordmann').first().isVisible()).toBe(true)
    expect(new URL(tablet.url()).hash).toBe('')
    await lock.choosePin('2468')
    await new AccountScreen(tablet).signedIn.waitFor()
    // The PIN opens the tablet again after a reload, as after a password sign-in.
    await tablet.reload()
    await lock.unlock('2468')
    await context.close()
  })

  it('the admin maps directory groups on its own screen', async () => {
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('admin', ADMIN_PASSWORD)
    await page.getByRole('link', { name: 'Administrasjon' }).click()
    const admin = new AdminScreen(page)
    await admin.open('Katalogtilgang')
    await page.getByRole('cell', { name: SOCIAL }).waitFor()
    await page
      .getByLabel('Gruppe-ID (objekt-ID i Entra ID)')
      .fill('b7e2c0de-1111-4222-8333-944445555666')
    await page.getByRole('combobox', { name: 'Rolle' }).selectOption('leader')
    await page.getByRole('button', { name: 'Koble gruppe' }).click()
    await page.getByRole('cell', { name: 'b7e2c0de-1111-4222-8333-944445555666' }).waitFor()
    await page.screenshot({ path: `${SHOTS}/oidc-admin-768x1024.png`, fullPage: true })
    await page.setViewportSize(TABLET_LANDSCAPE)
    await page.screenshot({ path: `${SHOTS}/oidc-admin-1024x768.png`, fullPage: true })
    await context.close()
  })
})
