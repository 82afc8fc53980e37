// Issue 14.6a in the browser: a copied refresh token used elsewhere ends the tablet's sign-in, the tablet says why and keeps its data.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPractitioner } from './support/api.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import { AccountScreen, ClientsScreen, choosePinIfAsked } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PASSWORD = 'sana-password-12'
const PIN = '4321'

/** The tablet's stored refresh token; its access token is marked expired so the next sync refreshes. */
function takeRefreshToken(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('linja')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const tx = db.transaction('meta', 'readwrite')
          const store = tx.objectStore('meta')
          let token = ''
          const get = store.get('sync.session')
          get.onsuccess = () => {
            const entry = get.result as {
              value: { refreshToken: string; accessTokenExpiresAt: string }
            }
            token = entry.value.refreshToken
            entry.value.accessTokenExpiresAt = '2000-01-01T00:00:00Z'
            store.put(entry)
          }
          tx.oncomplete = () => {
            db.close()
            resolve(token)
          }
          tx.onerror = () => reject(tx.error)
        }
      }),
  )
}

describe('a sign-in ended for safety', () => {
  let server: ServerProcess
  let browser: Browser
  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
    browser = await launchChromium()
    await createPractitioner(server.url, 'sana', PASSWORD)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('14.6a: a thief refreshes with a copy of the token; the tablet says in words why it must sign in again and keeps its client', async () => {
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('sana', PASSWORD)
    await choosePinIfAsked(page, PIN)
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(page).createClient('SANA-1', 1990, PIN)

    const copy = await takeRefreshToken(page)
    const thief = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: copy }),
    })
    expect(thief.status).toBe(200)
    // Past the server's leeway for a device's own racing refreshes.
    await new Promise((resolve) => setTimeout(resolve, 11_000))

    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByRole('button', { name: 'Synkroniser nå' }).click()
    await page
      .getByText(/avsluttet av sikkerhetshensyn/)
      .first()
      .waitFor()
    await page.getByRole('button', { name: 'Logg inn' }).waitFor()
    const thiefAgain = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        refreshToken: ((await thief.json()) as { refreshToken: string }).refreshToken,
      }),
    })
    expect(thiefAgain.status).toBe(401)

    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('SANA-1').first().waitFor()
    await context.close()
  }, 90_000)
})
