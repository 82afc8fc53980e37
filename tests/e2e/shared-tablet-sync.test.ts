import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, createPractitioner, serverRecords } from './support/api.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import { AccountScreen, ClientScreen, ClientsScreen, LockScreen } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PASSWORD = 'practitioner-pass-1'
const PIN = { anne: '9753', bjorn: '1470' } as const
type Name = keyof typeof PIN
const CODE: Record<Name, string> = { anne: 'ANNE-1', bjorn: 'BJORN-1' }
/** A client, its episode and one ORS: what one practitioner leaves in the outbox here. */
/** Each practitioner's one client with one ORS: three outbox entries (client, episode, form)… */
const CHANGES_EACH = 3
/** …which the person sees as the two things they made: a client and a form. */
const MADE_EACH = 2

async function offline(context: BrowserContext): Promise<void> {
  await context.setOffline(true)
  await context.route('**/*', (route) => route.abort('internetdisconnected'))
}

async function online(context: BrowserContext): Promise<void> {
  await context.unroute('**/*')
  await context.setOffline(false)
}

/**
 * Watches the page from now on: any moment its text holds a code in `forbid(...)` is recorded,
 * so "never shows" covers every render, not only the moments the test looks.
 */
async function watchForLeaks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { linjaForbidden: string[]; linjaLeaks: string[] }
    w.linjaForbidden = []
    w.linjaLeaks = []
    const check = () => {
      const text = document.body.textContent ?? ''
      for (const code of w.linjaForbidden) {
        const at = text.indexOf(code)
        if (at >= 0)
          w.linjaLeaks.push(`${code} on ${location.pathname}: …${text.slice(at - 80, at + 40)}…`)
      }
    }
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    })
  })
}

async function forbid(page: Page, codes: string[]): Promise<void> {
  await page.evaluate((list) => {
    const w = window as unknown as { linjaForbidden: string[]; linjaLeaks: string[] }
    w.linjaForbidden = list
    const text = document.body.textContent ?? ''
    for (const code of list) if (text.includes(code)) w.linjaLeaks.push(code)
  }, codes)
}

function leaks(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { linjaLeaks: string[] }).linjaLeaks)
}

async function lockNow(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Innstillinger' }).click()
  await page.getByRole('button', { name: 'Lås nå' }).click()
  await new LockScreen(page).heading.waitFor()
}

/** The lock screen's way for the next practitioner: an online sign-in (their PIN is theirs alone). */
async function signInAsAnother(page: Page, name: Name): Promise<void> {
  await page.getByRole('button', { name: 'Logg inn som en annen behandler' }).click()
  await page.getByLabel('Brukernavn').fill(name)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn', exact: true }).click()
  // Their first sign-in on this tablet ends with their own PIN, before any other screen.
  const lock = new LockScreen(page)
  const konto = page.getByRole('link', { name: 'Konto' })
  await lock.pinStep.or(konto).first().waitFor()
  if (await lock.pinStep.isVisible()) await lock.choosePin(PIN[name])
  await konto.click()
  await page.getByText(`Logget inn som Test ${name} (${name}).`).waitFor()
}

/** A client and a finished ORS, back in the practitioner's view. */
async function clientWithOrs(page: Page, name: Name): Promise<void> {
  await page.getByRole('link', { name: 'Klienter' }).first().click()
  await new ClientsScreen(page).createClient(CODE[name], 1980)
  const mode = await new ClientScreen(page).handOver({ pin: PIN[name], form: 'ORS' })
  await mode.markAll([0.31, 0.52, 0.64, 0.78])
  await mode.doneButton().click()
  await page.getByRole('heading', { name: 'Takk!' }).waitFor()
  await mode.leave(PIN[name])
  await page.getByRole('heading', { name: `Klient ${CODE[name]}` }).waitFor()
}

/** The Konto page's facts: changes waiting (on the whole tablet) and the last error. */
async function syncFacts(page: Page): Promise<{ pending: string; lastError: string }> {
  const dd = await page.locator('.sync-facts dd').allInnerTexts()
  return { pending: dd[0] ?? '', lastError: dd[2] ?? '' }
}

/**
 * On the Konto page, until `done` holds: Sync now whenever it can be pressed, as a person would
 * when the automatic sync is slow (a busy machine, or the backoff after a failed attempt).
 */
async function syncUntil(page: Page, done: () => Promise<boolean>, what: string): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  const button = page.getByRole('button', { name: 'Synkroniser nå' })
  const deadline = Date.now() + 60_000
  while (!(await done())) {
    if (Date.now() > deadline) {
      throw new Error(
        `Not within 60 s: ${what}. Konto says ${JSON.stringify(await syncFacts(page))}`,
      )
    }
    if (await button.isEnabled().catch(() => false)) {
      await button.click({ timeout: 1000 }).catch(() => undefined)
    }
    // The next look waits for the status to move (or 2 s), not for a fixed time.
    await page
      .locator('.sync-facts')
      .evaluate(
        (facts) =>
          new Promise<void>((resolve) => {
            const observer = new MutationObserver(() => {
              observer.disconnect()
              resolve()
            })
            observer.observe(facts, { subtree: true, childList: true, characterData: true })
            setTimeout(() => {
              observer.disconnect()
              resolve()
            }, 2_000)
          }),
      )
      .catch(() => undefined)
  }
}

/** One more sync by whoever is signed in: Sync now, and the pull that ends it answered. */
async function syncOnceMore(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  const button = page.getByRole('button', { name: 'Synkroniser nå' })
  await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true)
  const pulled = page.waitForResponse((r) => r.url().includes('/api/sync/pull') && r.ok())
  await button.click()
  await pulled
  await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true)
}

/** What the server holds for `name`, reduced to what must be exactly right. */
async function onServer(url: string, name: Name) {
  const records = await serverRecords(url, name, PASSWORD)
  const clientIds = new Map(records.clients.map((c) => [c.id, String(c.payload.code)]))
  return {
    clients: records.clients.map((c) => String(c.payload.code)).sort(),
    forms: records.administrations.map(
      (a) => `${String(a.payload.instrumentId)} of ${clientIds.get(a.clientId) ?? '?'}`,
    ),
    unique: new Set(records.ids).size === records.ids.length,
  }
}

const expected = (name: Name) => ({
  clients: [CODE[name]],
  forms: [`ORS of ${CODE[name]}`],
  unique: true,
})
const nothing = { clients: [], forms: [], unique: true }

describe('two practitioners on one tablet, both with unsent changes', () => {
  let server: ServerProcess
  let browser: Browser
  let context: BrowserContext | undefined

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })
  afterEach(async () => {
    await context?.close()
  })

  it('each outbox reaches its own account once, whichever signs in first; neither sees the other', async () => {
    await createPractitioner(server.url, 'anne', PASSWORD)
    await createPractitioner(server.url, 'bjorn', PASSWORD)
    context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(server.url)
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
      timeout: 30_000,
    })
    await watchForLeaks(page)

    // Anne signs in, then works with no network at all.
    await new AccountScreen(page).signIn('anne', PASSWORD, PIN.anne)
    await forbid(page, [CODE.bjorn])
    await offline(context)
    await clientWithOrs(page, 'anne')
    await page.getByRole('link', { name: 'Konto' }).click()
    await expect.poll(async () => (await syncFacts(page)).pending).toBe(String(MADE_EACH))
    await lockNow(page)
    await forbid(page, [CODE.anne, CODE.bjorn])

    // Bjorn signs in with the network back, but every push of his is cut on the way (a flaky
    // connection): his changes are tried, numbered for the wire, and stay unsent.
    await online(context)
    let largestCutPush = 0
    const cutPush = async (route: Route) => {
      const body = route.request().postDataJSON() as { operations: unknown[] }
      largestCutPush = Math.max(largestCutPush, body.operations.length)
      await route.abort('connectionreset')
    }
    await context.route('**/api/sync/push', cutPush)
    await signInAsAnother(page, 'bjorn')
    await forbid(page, [CODE.anne])
    await clientWithOrs(page, 'bjorn')
    await syncUntil(
      page,
      async () => largestCutPush === CHANGES_EACH,
      'a push of all Bjorn’s changes is tried and cut',
    )
    // Bjorn is told of his own waiting changes, not Anne's (hers are hers to send).
    await expect.poll(async () => (await syncFacts(page)).pending).toBe(String(MADE_EACH))
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('link', { name: CODE.bjorn, exact: true }).waitFor()
    await lockNow(page)
    await forbid(page, [CODE.anne, CODE.bjorn])
    await context.unroute('**/api/sync/push', cutPush)
    expect(await onServer(server.url, 'anne')).toEqual(nothing)
    expect(await onServer(server.url, 'bjorn')).toEqual(nothing)

    // Anne comes back first, online: hers go to her account, Bjorn's stay for him.
    await signInAsAnother(page, 'anne')
    await forbid(page, [CODE.bjorn])
    await syncUntil(
      page,
      async () => {
        const facts = await syncFacts(page)
        return facts.pending === '0' && facts.lastError === 'Ingen'
      },
      'Anne’s changes sent (Bjorn’s wait for him, and are not hers to count)',
    )
    expect(await onServer(server.url, 'anne')).toEqual(expected('anne'))
    expect(await onServer(server.url, 'bjorn')).toEqual(nothing)
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('link', { name: CODE.anne, exact: true }).waitFor()
    expect(await page.getByText(CODE.bjorn).count()).toBe(0)
    await lockNow(page)
    await forbid(page, [CODE.anne, CODE.bjorn])

    // Bjorn: his changes, tried once under other wire numbers, go to his account.
    await signInAsAnother(page, 'bjorn')
    await forbid(page, [CODE.anne])
    await syncUntil(
      page,
      async () => {
        const facts = await syncFacts(page)
        return facts.pending === '0' && facts.lastError === 'Ingen'
      },
      'Bjorn’s changes sent, nothing waiting',
    )
    expect(await onServer(server.url, 'bjorn')).toEqual(expected('bjorn'))
    expect(await onServer(server.url, 'anne')).toEqual(expected('anne'))

    // A second sync by each: nothing sent twice, nothing of the other's comes down.
    await syncOnceMore(page)
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('link', { name: CODE.bjorn, exact: true }).waitFor()
    expect(await page.getByRole('link', { name: CODE.bjorn, exact: true }).count()).toBe(1)
    await lockNow(page)
    await forbid(page, [CODE.anne, CODE.bjorn])
    await signInAsAnother(page, 'anne')
    await forbid(page, [CODE.bjorn])
    await syncOnceMore(page)
    expect((await syncFacts(page)).pending).toBe('0')
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.getByRole('link', { name: CODE.anne, exact: true }).waitFor()
    expect(await page.getByRole('link', { name: CODE.anne, exact: true }).count()).toBe(1)
    expect(await page.getByText(CODE.bjorn).count()).toBe(0)

    expect(await onServer(server.url, 'anne')).toEqual(expected('anne'))
    expect(await onServer(server.url, 'bjorn')).toEqual(expected('bjorn'))
    expect(await leaks(page)).toEqual([])
  }, 300_000)
})
