// A client fills in a form from a link on their own phone: the real server sends the link by
// e-mail to a real SMTP server in the test, Chromium at 360x640 with touch opens it, and the
// practitioner's tablet gets the form at its next sync.
import { createServer } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { smtpServer } from '../server/support/remote.ts'
import {
  ADMIN_PASSWORD,
  createPractitioner,
  createRemoteLink,
  login,
  revokeRemoteLink,
  serverRecordsWith,
} from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from './support/browser.ts'
import { AccountScreen, ClientScreen, ClientsScreen, RemoteFormPage } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PASSWORD = 'practitioner-pass-1'
const PIN = '2468'
const PHONE = { width: 360, height: 640 }
/** Screenshots for a person to look at: `LINJA_SHOTS=/tmp/dir npx vitest run …`. */
const SHOTS = process.env.LINJA_SHOTS
const ITEMS = ['ors.individually', 'ors.interpersonally', 'ors.socially', 'ors.overall']

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

describe('a remote form on the client’s own phone', () => {
  let server: ServerProcess
  let smtp: Awaited<ReturnType<typeof smtpServer>>
  let browser: Browser
  const contexts: BrowserContext[] = []
  /** The practitioner's client on the server, made on the tablet in the first test. */
  let clientId = ''
  let episodeId = ''
  let token = ''
  let linkUrl = ''

  beforeAll(async () => {
    smtp = await smtpServer()
    // The server's own address goes into the links it sends, so its port is chosen first.
    const port = await freePort()
    server = await startServer(
      {
        LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
        PUBLIC_URL: `http://localhost:${port}`,
        SMTP_URL: smtp.url,
        SMTP_FROM: 'linja@kommune.test',
      },
      undefined,
      port,
    )
    browser = await launchChromium()
    await createPractitioner(server.url, 'rita', PASSWORD)
    token = await login(server.url, 'rita', PASSWORD)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
    await smtp?.close()
  })
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close()
  })

  async function phone(locale = 'nb-NO'): Promise<Page> {
    const context = await browser.newContext({
      viewport: PHONE,
      hasTouch: true,
      isMobile: true,
      deviceScaleFactor: 1,
      locale,
    })
    contexts.push(context)
    return context.newPage()
  }

  async function linkFor(delivery: 'email' | 'show', locale = 'nb') {
    return createRemoteLink(server.url, token, {
      clientId,
      episodeId,
      session: 2,
      instrumentId: 'ORS',
      rater: 'client',
      locale,
      delivery:
        delivery === 'email'
          ? { channel: 'email', to: 'klient@example.test', code: 'tell' }
          : { channel: 'show', code: 'tell' },
    })
  }

  it('the client opens the e-mailed link, gives the code, marks by touch and keyboard and sends; the tablet shows the form after a sync', async () => {
    const tablet = await tabletContext(browser, TABLET_PORTRAIT)
    contexts.push(tablet)
    const practitioner = await tablet.newPage()
    await practitioner.goto(server.url)
    await new AccountScreen(practitioner).signIn('rita', PASSWORD, PIN)
    await practitioner.getByRole('link', { name: 'Klienter' }).first().click()
    await new ClientsScreen(practitioner).createClient('RF-01', 1984, PIN)
    // Session 1 in the office on the tablet (it opens the episode); session 2 by video, by link.
    const office = await new ClientScreen(practitioner).handOver({ pin: PIN, form: 'ORS' })
    await office.markAll([0.4, 0.4, 0.4, 0.4])
    await office.doneButton().click()
    await practitioner.getByRole('heading', { name: 'Takk!' }).waitFor()
    await office.leave(PIN)
    await practitioner.getByRole('heading', { name: 'Klient RF-01' }).waitFor()
    // The link is made once the tablet has sent the new client ("Synkroniser nå", as a person would).
    await practitioner.getByRole('link', { name: 'Konto' }).click()
    const deadline = Date.now() + 30_000
    while (!clientId) {
      const records = await serverRecordsWith(server.url, token)
      const client = records.clients.find((c) => c.payload.code === 'RF-01')
      const episode = records.episodes.find((e) => e.payload.clientId === client?.id)
      if (client && episode) [clientId, episodeId] = [client.id, episode.id]
      else if (Date.now() > deadline)
        throw new Error(`the tablet did not send the client: ${JSON.stringify(records.ids)}`)
      else {
        const sync = practitioner.getByRole('button', { name: 'Synkroniser nå' })
        if (await sync.isEnabled().catch(() => false)) await sync.click().catch(() => undefined)
        await practitioner.waitForTimeout(500)
      }
    }

    const created = await linkFor('email')
    await expect.poll(() => smtp.mails.length, { timeout: 20_000 }).toBe(1)
    const mail = smtp.mails[0]
    expect(mail?.to).toContain('klient@example.test')
    // The message carries the link and nothing about the client.
    expect(mail?.text).not.toContain('RF-01')
    linkUrl = /https?:\/\/\S+\/r\/#[A-Za-z0-9_-]{43}/.exec(mail?.text ?? '')?.[0] ?? ''
    expect(linkUrl).toBe(created.url)

    const page = await phone()
    const form = new RemoteFormPage(page)
    await page.goto(linkUrl)
    await expect.poll(() => form.heading().textContent()).toBe('Skriv inn koden')
    // The token leaves the address bar (and the history) once the page has it.
    expect(new URL(page.url()).hash).toBe('')
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/remote-code-360x640.png`, fullPage: true })

    const wrong = created.code === '000000' ? '111111' : '000000'
    await form.giveCode(wrong)
    await expect
      .poll(() => form.problem().textContent())
      .toBe('Koden stemmer ikke. Du har 4 forsøk igjen.')
    await form.giveCode(created.code)
    await expect.poll(() => form.lines.sliders().count()).toBe(4)
    expect(await form.lines.doneButton().getAttribute('aria-disabled')).toBe('true')

    await form.tapAt(0, 0.25)
    await form.dragTouch(1, 0.2, 0.6)
    await form.lines.setByKeyboard(2, 7.3)
    await expect.poll(() => form.lines.values().then((v) => v.filter(Boolean).length)).toBe(3)
    // A reload keeps the marks and the opened form (no code again).
    const before = await form.lines.values()
    await page.reload()
    await expect.poll(() => form.lines.values()).toEqual(before)
    expect(await form.lines.doneButton().getAttribute('aria-disabled')).toBe('true')
    await form.tapAt(3, 0.9)
    await expect.poll(() => form.lines.doneButton().getAttribute('aria-disabled')).toBe('false')
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/remote-form-360x640.png`, fullPage: true })
    const values = (await form.lines.values()).map(Number)
    expect(values[2]).toBe(7.3)
    // No network at the moment of sending: words, the marks stay, and sending again works.
    await page.context().setOffline(true)
    await form.send()
    await expect.poll(() => form.problem().textContent()).toContain('Svarene ble ikke sendt')
    expect((await form.lines.values()).map(Number)).toEqual(values)
    await page.context().setOffline(false)
    await form.send()
    await expect.poll(() => form.heading().textContent()).toBe('Takk!')
    // Nothing of the answers stays in the browser.
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([])

    // The server holds it as the practitioner's administration, collected remotely.
    const records = await serverRecordsWith(server.url, token)
    const remote = records.administrations.filter((a) => a.payload.collectedBy === 'remote')
    expect(remote.map((a) => [a.payload.clientId, a.payload.session, a.payload.items])).toEqual([
      [clientId, 2, Object.fromEntries(ITEMS.map((id, i) => [id, values[i]]))],
    ])

    // The practitioner's tablet gets the form at its next sync: the items and the total.
    const nb = (v: number) => v.toFixed(1).replace('.', ',')
    const items = values.map(nb).join(' · ')
    const total = nb(values.reduce((a, b) => a + b, 0))
    await practitioner.getByRole('link', { name: 'Konto' }).click()
    await practitioner.getByRole('button', { name: 'Synkroniser nå' }).click()
    await practitioner.getByRole('link', { name: 'Klienter' }).first().click()
    await practitioner.getByRole('link', { name: 'RF-01' }).click()
    const row = new ClientScreen(practitioner).historyRows().filter({ hasText: items })
    await expect.poll(() => row.locator('td').nth(4).textContent(), { timeout: 20_000 }).toBe(total)
    expect(await row.locator('td').nth(2).textContent()).toBe('2')
    if (SHOTS)
      await practitioner.screenshot({ path: `${SHOTS}/remote-tablet-768x1024.png`, fullPage: true })
  })

  it('a used, a revoked and a locked link say so in words and show nothing else', async () => {
    expect(linkUrl, 'needs the first test').not.toBe('')
    const page = await phone()
    const form = new RemoteFormPage(page)
    const nothingElse = async () => {
      expect(await page.getByRole('textbox').count()).toBe(0)
      expect(await form.lines.sliders().count()).toBe(0)
    }
    await page.goto(linkUrl)
    await expect.poll(() => form.heading().textContent()).toBe('Skjemaet er allerede sendt')
    await nothingElse()

    const revoked = await linkFor('show')
    await revokeRemoteLink(server.url, token, revoked.link.id)
    await page.goto(revoked.url)
    await expect.poll(() => form.heading().textContent()).toBe('Lenken er trukket tilbake')
    await nothingElse()

    // Five wrong codes end the link; the fifth answer is the closed link itself.
    const locked = await linkFor('show')
    await page.goto(locked.url)
    const wrong = locked.code === '000000' ? '111111' : '000000'
    for (const left of [4, 3, 2]) {
      await form.giveCode(wrong)
      await expect.poll(() => form.problem().textContent()).toContain(`${left} forsøk`)
    }
    await form.giveCode(wrong)
    await expect
      .poll(() => form.problem().textContent())
      .toBe('Koden stemmer ikke. Du har 1 forsøk igjen.')
    await form.giveCode(wrong)
    await expect.poll(() => form.heading().textContent()).toBe('Lenken er stengt')
    await nothingElse()
  })

  it('axe finds nothing serious on the page in nb and en, opened by link and by short code', async () => {
    expect(clientId, 'needs the first test').not.toBe('')
    const byLink = await linkFor('show', 'en')
    const page = await phone('en-GB')
    const form = new RemoteFormPage(page)
    await page.goto(byLink.url)
    // The link's language first: English, and <html lang> says so.
    await expect.poll(() => form.heading().textContent()).toBe('Enter the code')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    expect(await seriousViolations(page)).toEqual([])
    await form.chooseLanguage('Bokmål')
    await expect.poll(() => form.heading().textContent()).toBe('Skriv inn koden')
    expect(await page.getAttribute('html', 'lang')).toBe('nb')
    expect(await seriousViolations(page)).toEqual([])

    // Opened at /r/ with nothing: the short code and the code.
    const byShort = await linkFor('show')
    const other = await phone()
    const short = new RemoteFormPage(other)
    await other.goto(`${server.url}/r/`)
    await expect.poll(() => short.heading().textContent()).toBe('Åpne skjemaet ditt')
    expect(await seriousViolations(other)).toEqual([])
    await short.giveShortCode(byShort.shortCode.toLowerCase(), byShort.code)
    await expect.poll(() => short.lines.sliders().count()).toBe(4)
    await short.tapAt(0, 0.5)
    await expect.poll(() => short.lines.values().then((v) => v[0])).not.toBeNull()
    const marked = await short.lines.values()
    expect(await seriousViolations(other)).toEqual([])
    await short.chooseLanguage('English')
    await expect.poll(() => short.lines.doneButton().textContent()).toBe('Done')
    // The form's own wording follows (no code asked again), and the mark made in Bokmål stays.
    await expect.poll(() => other.getByRole('slider', { name: /Personal/ }).count()).toBe(1)
    expect(await other.getByRole('slider', { name: /Personlig/ }).count()).toBe(0)
    expect(await short.lines.values()).toEqual(marked)
    expect(await seriousViolations(other)).toEqual([])
  })
})
