import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { INSTRUMENTS } from '../../src/core/index.ts'
import {
  createClient,
  finalize,
  openLinjaDb,
  SCHEMA_V2,
  saveMark,
  startDraft,
} from '../../src/storage/index.ts'
import {
  ADMIN_PASSWORD,
  login as apiLogin,
  createPractitioner,
  revokeDevicesOf,
  serverRecordsWith,
} from './support/api.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import { ClientScreen, ClientsScreen, choosePinIfAsked, LockScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '9753'
const PASSWORD = 'practitioner-pass-1'

/** Every row of the app's IndexedDB as text, binary shown as hex: what a copied disk holds. */
function rawDatabase(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('linja')
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    const out: Record<string, unknown[]> = {}
    for (const name of Array.from(db.objectStoreNames)) {
      out[name] = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).getAll()
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
    }
    db.close()
    return JSON.stringify(out, (_k, v: unknown) =>
      v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') : v,
    )
  })
}

interface DexieLike {
  version(n: number): { stores(schema: Record<string, string>): void }
  open(): Promise<unknown>
  table(name: string): { bulkPut(rows: unknown[]): Promise<unknown> }
  close(): void
}

/**
 * What the release before encryption kept (schema v2): a client and a finished ORS, plain, with
 * their outbox entries, made by the storage code with no key, shaped as v2 stored them.
 */
async function plainV2Rows(code: string): Promise<Record<string, Record<string, unknown>[]>> {
  const db = openLinjaDb('old-release', { indexedDB: new IDBFactory(), IDBKeyRange })
  const client = await createClient(db, { code, birthYear: 1970 })
  const draft = await startDraft(db, {
    clientId: client.id,
    instrumentId: 'ORS',
    rater: 'client',
    collectedBy: 'tablet',
    locale: 'nb',
  })
  for (const [i, item] of INSTRUMENTS.ORS.items.entries())
    await saveMark(db, draft.id, item.id, 5 + i / 10)
  await finalize(db, draft.id)
  const out: Record<string, Record<string, unknown>[]> = {}
  for (const table of ['clients', 'episodes', 'administrations', 'outbox']) {
    out[table] = (await db.table(table).toArray()).map((r: Record<string, unknown>) => {
      const { rev: _r, codeKey: _c, ...rest } = r
      return table === 'clients' ? { ...rest, codeSearch: String(rest.code).toLowerCase() } : rest
    })
  }
  // The tablet's id, which its outbox entries carry (and which the app sends at sign-in).
  out.meta = (await db.table('meta').toArray()).filter((r: { key: string }) => r.key === 'deviceId')
  db.close()
  return out
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page
    .getByText(/Logget inn som/)
    .first()
    .waitFor()
  // A sign-in ends with the practitioner's PIN on the tablet, before any other screen.
  await choosePinIfAsked(page, PIN)
}

/** The lock screen's sign-in (after a lock-out, or as another practitioner). */
async function signInOnLockScreen(page: Page, username: string): Promise<void> {
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn' }).click()
}

async function choosePin(page: Page, pin: string): Promise<void> {
  await page.getByLabel('Ny PIN-kode (4–8 sifre)').fill(pin)
  await page.getByLabel('Gjenta PIN-koden').fill(pin)
  await page.getByRole('button', { name: 'Lagre PIN-kode' }).click()
}

async function lockNow(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Innstillinger' }).click()
  await page.getByRole('button', { name: 'Lås nå' }).click()
  await new LockScreen(page).heading.waitFor()
}

/** A client, an ORS marked in client mode and finished, back in the practitioner's view. */
async function session(page: Page, code: string): Promise<void> {
  await page.getByRole('link', { name: 'Klienter' }).first().click()
  await new ClientsScreen(page).createClient(code, 1983, PIN)
  const mode = await new ClientScreen(page).handOver({ pin: PIN, form: 'ORS' })
  await mode.markAll([0.37, 0.58, 0.61, 0.83])
  await mode.doneButton().click()
  await page.getByRole('heading', { name: 'Takk!' }).waitFor()
  await mode.leave(PIN)
  await page.getByRole('heading', { name: `Klient ${code}` }).waitFor()
}

describe('security of the device (Chromium, real IndexedDB)', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    // Many sign-ins from one address in a few minutes (each test signs in, some several times).
    server = await startServer({
      LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LINJA_LOGIN_RATE_LIMIT: '100',
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })
  afterEach(async () => {
    await context?.close()
  })

  async function device(): Promise<Page> {
    context = await tabletContext(browser, TABLET_PORTRAIT)
    page = await context.newPage()
    // The page's clock is Playwright's: the idle lock is tested by moving it, not by waiting.
    await page.clock.install()
    await page.goto(server.url)
    return page
  }

  it('after a session no client code, score or item value lies in IndexedDB in the clear', async () => {
    await createPractitioner(server.url, 'siri', PASSWORD)
    await device()
    await signIn(page, 'siri')
    await session(page, 'SIRI-CODE-77')
    const raw = await rawDatabase(page)
    expect(raw).toContain('"box"')
    expect(raw).not.toContain('SIRI-CODE-77')
    expect(raw.toLowerCase()).not.toContain('siri-code-77')
    // Field names and item ids, not bare numbers: those occur by chance in hex and in times.
    for (const word of ['"items"', '"total"', 'ors.individually', '"birthYear"', '"score"']) {
      expect(raw).not.toContain(word)
    }
  })

  it('locks after the idle minutes; a wrong PIN opens nothing; 5 lock out until an online login, which recovers the data', async () => {
    await createPractitioner(server.url, 'tore', PASSWORD)
    await device()
    await signIn(page, 'tore')
    await session(page, 'TORE-1')
    // Idle for the default 5 minutes on the page's own clock.
    await page.clock.fastForward('05:11')
    const lock = new LockScreen(page)
    await lock.heading.waitFor()
    expect(await page.getByText('TORE-1').count()).toBe(0)

    const field = page.getByLabel('Behandlerens PIN-kode')
    for (let left = 4; left >= 1; left--) {
      await field.fill('0000')
      await page.getByRole('button', { name: 'Lås opp' }).click()
      await page.getByText(new RegExp(`${left} forsøk igjen`)).waitFor()
      await expect(page.getByText('TORE-1').count()).resolves.toBe(0)
    }
    await field.fill('0000')
    await page.getByRole('button', { name: 'Lås opp' }).click()
    await page.getByRole('heading', { name: 'Logg inn på nytt' }).waitFor()

    await signInOnLockScreen(page, 'tore')
    await choosePin(page, '2580')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('TORE-1').first().waitFor()
    // The new PIN is the one that works now.
    await lockNow(page)
    await lock.unlock('2580')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('TORE-1').first().waitFor()
    // Hidden (another app, the screen off): locked at once.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' })
      document.dispatchEvent(new Event('visibilitychange'))
    })
    await lock.heading.waitFor()
    expect(await page.getByText('TORE-1').count()).toBe(0)
  })

  it('two practitioners on one tablet see only their own clients', async () => {
    await createPractitioner(server.url, 'anne', PASSWORD)
    await createPractitioner(server.url, 'bjorn', PASSWORD)
    await device()
    await signIn(page, 'anne')
    await session(page, 'ANNE-1')
    await lockNow(page)
    await page.getByRole('button', { name: 'Logg inn som en annen behandler' }).click()
    await signInOnLockScreen(page, 'bjorn')
    // His own PIN, at once: before any screen of his.
    await new LockScreen(page).choosePin('1470')
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByText(/Logget inn som Test bjorn/).waitFor()
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(page).createClient('BJORN-1', 1975, PIN)
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('BJORN-1').first().waitFor()
    expect(await page.getByText('ANNE-1').count()).toBe(0)

    await lockNow(page)
    await page.getByRole('button', { name: 'Logg inn som en annen behandler' }).click()
    await signInOnLockScreen(page, 'anne')
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByText(/Logget inn som Test anne/).waitFor()
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('ANNE-1').first().waitFor()
    expect(await page.getByText('BJORN-1').count()).toBe(0)
  })

  it('data stored by the release before encryption is sealed at the first sign-in and sent, nothing lost; forgetting the tablet warns about unsent changes', async () => {
    await createPractitioner(server.url, 'elin', PASSWORD)
    context = await tabletContext(browser, TABLET_PORTRAIT)
    page = await context.newPage()
    // The old release's database (schema v2, plain rows) on this origin, before the app opens:
    // written from a blank page of the same origin (the app's CSP forbids the injected script).
    await context.route(`${server.url}/seed-old-release`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>seed</title>' }),
    )
    await page.goto(`${server.url}/seed-old-release`)
    await page.addScriptTag({ path: 'node_modules/dexie/dist/dexie.js' })
    const rows = await plainV2Rows('PLAIN-1')
    await page.evaluate(
      async ({ schema, rows }) => {
        const Dexie = (window as unknown as { Dexie: new (name: string) => DexieLike }).Dexie
        const db = new Dexie('linja')
        db.version(2).stores(schema)
        await db.open()
        for (const [table, list] of Object.entries(rows)) await db.table(table).bulkPut(list)
        db.close()
      },
      { schema: { ...SCHEMA_V2 }, rows },
    )
    await page.goto(server.url)
    expect(await rawDatabase(page)).toContain('PLAIN-1')
    // No key yet: the tablet asks for one before anything; signing in makes it and seals it all.
    await page.getByRole('heading', { name: 'Sikre nettbrettet før første klient' }).waitFor()
    await page.getByRole('link', { name: 'Logg inn først' }).click()
    await page.getByLabel('Brukernavn').fill('elin')
    await page.getByLabel('Passord').fill(PASSWORD)
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByText(/Logget inn som/).waitFor()
    await choosePin(page, PIN)
    expect(await rawDatabase(page)).not.toContain('PLAIN-1')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('PLAIN-1').first().waitFor()
    // The old outbox, sealed now, reaches the server: the client and its finished form, once.
    const elin = await apiLogin(server.url, 'elin', PASSWORD)
    await expect
      .poll(async () => (await serverRecordsWith(server.url, elin)).administrations.length)
      .toBe(1)
    const onServer = await serverRecordsWith(server.url, elin)
    expect(onServer.clients.map((c) => c.id)).toEqual([rows.clients?.[0]?.id])
    expect(new Set(onServer.ids).size).toBe(onServer.ids.length)

    // Offline, a new client waits in the outbox; forgetting the tablet says so first.
    await context.setOffline(true)
    await context.route('**/*', (route) => route.abort('internetdisconnected'))
    await new ClientsScreen(page).createClient('UNSENT-1', 1971, PIN)
    await page.getByRole('link', { name: 'Innstillinger' }).click()
    await page.getByRole('button', { name: 'Glem nettbrettet' }).click()
    await page.getByText(/ikke sendt og blir slettet for godt/).waitFor()
    await page.getByRole('button', { name: 'Ja, slett fra nettbrettet' }).click()
    await page.getByText('Dataene dine er slettet fra dette nettbrettet.').waitFor()
    const raw = await rawDatabase(page)
    expect(raw).not.toContain('"box"')
    expect(raw).not.toContain('keyring')
  })

  it('a new tablet takes a PIN before its first client; at sign-in that PIN ties the clients to the account, and the password then recovers them', async () => {
    await createPractitioner(server.url, 'mari', PASSWORD)
    await device()
    // Used before anyone signed in (no network in the home visit): a PIN first, then clients.
    await new ClientsScreen(page).createClient('HOME-1', 1968, '3690')
    expect(await rawDatabase(page)).not.toContain('HOME-1')
    // Signing in asks for the tablet's PIN; a wrong one is refused before the server is asked.
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByLabel('Brukernavn').fill('mari')
    await page.getByLabel('Passord').fill(PASSWORD)
    await page.getByLabel('PIN-koden til nettbrettet').fill('1111')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByText('Feil PIN-kode for nettbrettet. Ingenting er endret.').waitFor()
    expect(await page.getByText(/Logget inn som/).count()).toBe(0)
    // A refused password changes nothing either: the tablet stays open, the message stays.
    await page.getByLabel('Passord').fill('not-the-password-1')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByText('Feil brukernavn eller passord.').waitFor()
    expect(await new LockScreen(page).heading.count()).toBe(0)
    await page.getByLabel('Passord').fill(PASSWORD)
    await page.getByLabel('PIN-koden til nettbrettet').fill('3690')
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByText(/Logget inn som/).waitFor()
    // The clients made before the sign-in are now the account's, and reach the server.
    const mari = await apiLogin(server.url, 'mari', PASSWORD)
    await expect
      .poll(async () => (await serverRecordsWith(server.url, mari)).clients.length)
      .toBe(1)

    // Five wrong PINs: only the password opens the data again, and nothing is lost.
    await lockNow(page)
    const field = page.getByLabel('Behandlerens PIN-kode')
    for (let i = 0; i < 5; i++) {
      await field.fill('0000')
      await page.getByRole('button', { name: 'Lås opp' }).click()
      if (i < 4) await page.getByText(new RegExp(`${4 - i} forsøk igjen`)).waitFor()
    }
    await page.getByRole('heading', { name: 'Logg inn på nytt' }).waitFor()
    await signInOnLockScreen(page, 'mari')
    await choosePin(page, '2580')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByText('HOME-1').first().waitFor()
  })

  it('a device revoked on the server wipes its data on the next contact', async () => {
    const id = await createPractitioner(server.url, 'rune', PASSWORD)
    await device()
    await signIn(page, 'rune')
    await session(page, 'RUNE-1')
    await revokeDevicesOf(server.url, id)
    await page.getByRole('link', { name: 'Konto' }).click()
    await page.getByRole('button', { name: /Synkroniser nå/ }).click()
    await page
      .getByText(/slettet/)
      .first()
      .waitFor()
    const raw = await rawDatabase(page)
    expect(raw).not.toContain('"box"')
    expect(raw).not.toContain('keyring')
  })
})
