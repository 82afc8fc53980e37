// Issue 17 on the practitioner's tablet: a link to a form the client fills in on their own device,
// made from the client's page, listed there with its state, revoked; the organisation's expiry.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smtpServer } from '../server/support/remote.ts'
import { ADMIN_PASSWORD } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import { launchChromium, shootBothSizes, tabletContext } from './support/browser.ts'
import {
  AccountScreen,
  AdminScreen,
  ClientScreen,
  RemoteLinksSection,
  sidewaysOverflow,
} from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '2468'
const SHOTS = process.env.LINJA_SHOTS

interface Created {
  url: string
  code: string
}

/** What the client's own page does: gives the code (right or wrong) and sends the marks. */
async function asTheClient(server: string, path: string, body: Record<string, unknown>) {
  const res = await fetch(`${server}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** Konto › Synkroniser nå, once the button can be pressed, and until it can be again (the sync is over). */
async function syncNow(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Konto' }).click()
  const button = page.getByRole('button', { name: 'Synkroniser nå' })
  await expect.poll(() => button.isEnabled(), { timeout: 20_000 }).toBe(true)
  await button.click()
  await expect.poll(() => button.isEnabled(), { timeout: 20_000 }).toBe(true)
}

const tokenOf = (url: string) => new URL(url).hash.slice(1)

async function openClient(page: Page, code: string): Promise<void> {
  await page.getByRole('link', { name: 'Klienter' }).first().click()
  await page.getByRole('link', { name: code }).click()
  await page.getByRole('heading', { level: 1, name: new RegExp(code) }).waitFor()
}

/** Makes a QR link and keeps what the server answered (the URL is only in the QR code on screen). */
async function makeLink(page: Page, links: RemoteLinksSection, form: string) {
  const answer = page.waitForResponse(
    (r) => r.url().endsWith('/api/remote-links') && r.request().method() === 'POST',
  )
  const shown = await links.makeQrLink(form)
  const created = (await (await answer).json()) as Created
  return { ...shown, created }
}

describe('remote links on the client’s page (issue 17)', () => {
  let server: ServerProcess
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    // No SMTP_URL and no SMS gateway: only the QR code can be offered.
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD, LINJA_DEMO: '1' })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    await server?.cleanup()
  })

  it('a practitioner shows a QR link, sees its codes once, finds it waiting, revokes it; a completed one lands in the history as “Fjernutfylt”', async () => {
    const context = await tabletContext(browser)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('pia', 'linja-demo-2026', PIN)
    await openClient(page, 'PH-01')
    const links = new RemoteLinksSection(page)
    await links.sendButton.waitFor()
    await links.section.getByText('Ingen lenker er sendt til denne klienten.').waitFor()

    // E-mail and SMS are not set up on this server: only the QR code is offered, and it says why.
    const dialog = await links.openDialog()
    expect(await links.channels()).toEqual(['Vis QR-kode'])
    await dialog
      .getByText('E-post er ikke satt opp på serveren. SMS er ikke satt opp på serveren.')
      .waitFor()
    expect(await dialog.getByLabel('Timenummer').inputValue()).toMatch(/^\d+$/)
    expect(await seriousViolations(page)).toEqual([])
    expect(await sidewaysOverflow(page)).toEqual({ page: 0, controls: [] })
    await shootBothSizes(page, SHOTS, 'remote-dialog-show')
    // The keyboard stays in the dialog, and Escape gives focus back to the button that opened it.
    for (const key of [...Array(14).fill('Tab'), ...Array(14).fill('Shift+Tab')]) {
      await page.keyboard.press(key)
      expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(
        true,
      )
    }
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Send lenke …')

    const first = await makeLink(page, links, 'ORS')
    expect(first.shortCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/)
    expect(first.code).toMatch(/^\d{6}$/)
    expect(first.code).toBe(first.created.code)
    await links.dialog.getByText('Kodene vises bare nå.', { exact: false }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
    // The QR code and the codes fit a tablet standing up (the charts behind may not, once the
    // screenshots above have turned it: they keep their landscape width).
    const box = await links.dialog.boundingBox()
    expect(box && box.x + box.width).toBeLessThanOrEqual(768)
    await shootBothSizes(page, SHOTS, 'remote-qr')
    await links.closeDialog()
    await expect.poll(() => links.rows().count()).toBe(1)
    expect(await links.rows().first().innerText()).toMatch(
      /ORS[\s\S]*QR-kode \/ kort kode[\s\S]*Venter, gjelder til/,
    )

    // The client answers a second link (an SRS) on their own phone; a third gets five wrong codes.
    const second = await makeLink(page, links, 'SRS')
    await links.closeDialog()
    const token = tokenOf(second.created.url)
    const opened = await asTheClient(server.url, '/api/remote/open', {
      token,
      code: second.created.code,
    })
    expect(opened.status).toBe(200)
    const form = opened.body.form as { items: { id: string }[] }
    const items = Object.fromEntries(form.items.map((item, i) => [item.id, 6 + i]))
    const answered = await asTheClient(server.url, '/api/remote/answer', {
      token,
      formToken: opened.body.formToken,
      items,
    })
    expect(answered.status).toBe(201)
    const third = await makeLink(page, links, 'ORS')
    await links.closeDialog()
    const wrong = third.created.code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++) {
      await asTheClient(server.url, '/api/remote/open', {
        token: tokenOf(third.created.url),
        code: wrong,
      })
    }
    await openClient(page, 'PH-01')
    await expect
      .poll(() => links.rows().allInnerTexts())
      .toEqual([
        expect.stringMatching(/ORS[\s\S]*Låst etter fem feil koder/),
        expect.stringMatching(/SRS[\s\S]*Utfylt/),
        expect.stringMatching(/ORS[\s\S]*Venter/),
      ])

    // Revoking asks first; the link then says so, and focus stays in the section.
    await links.revoke(2)
    await expect.poll(() => links.rows().nth(2).innerText()).toMatch(/ORS[\s\S]*Trukket tilbake/)
    expect(await links.rows().nth(2).getByRole('button').count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('remote-title')
    expect(await seriousViolations(page)).toEqual([])
    await links.section.scrollIntoViewIfNeeded()
    await shootBothSizes(page, SHOTS, 'remote-list')

    // After the next sync the client's answer is in the history like any other, collected remotely.
    const remote = new ClientScreen(page).historyRows().filter({ hasText: 'Fjernutfylt' })
    for (let i = 0; i < 5 && (await remote.count()) === 0; i++) {
      await syncNow(page)
      await openClient(page, 'PH-01')
    }
    expect(await remote.count()).toBe(1)
    expect(await remote.innerText()).toMatch(/SRS[\s\S]*6,0 · 7,0 · 8,0 · 9,0[\s\S]*30,0/)
  }, 180_000)

  it('offline the section says why and the rest of the client’s page works', async () => {
    const context = await tabletContext(browser)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('pia', 'linja-demo-2026', PIN)
    await openClient(page, 'PH-01')
    const links = new RemoteLinksSection(page)
    await links.sendButton.waitFor()
    await context.setOffline(true)
    await links.section
      .getByText(
        'Lenker kan bare lages og vises med nett. Resten av siden virker som vanlig uten nett.',
      )
      .waitFor()
    expect(await links.sendButton.count()).toBe(0)
    await page.getByRole('button', { name: 'Gi nettbrettet til klienten' }).waitFor()
    await context.setOffline(false)
  }, 120_000)

  it('the administrator sets how long links last: outside 1–720 hours is refused in words, 48 is saved', async () => {
    const context = await tabletContext(browser)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('admin', ADMIN_PASSWORD, PIN)
    await page.getByRole('link', { name: 'Administrasjon' }).click()
    const admin = new AdminScreen(page)
    await admin.open('Innstillinger')
    const hours = page.getByLabel('Lenker til klienter gjelder i (timer, 1–720)')
    expect(await hours.inputValue()).toBe('168')
    await page.getByText('= 7 døgn').waitFor()
    await hours.fill('721')
    await page.getByRole('button', { name: 'Lagre innstillinger' }).click()
    await page
      .getByText('Lenker til klienter må gjelde et helt antall timer fra 1 til 720 (30 døgn).')
      .waitFor()
    await hours.fill('48')
    await page.getByRole('button', { name: 'Lagre innstillinger' }).click()
    await page.getByText('Innstillingene er lagret.', { exact: false }).waitFor()
    await admin.open('Enheter')
    await admin.open('Innstillinger')
    expect(await page.getByLabel('Lenker til klienter gjelder i (timer, 1–720)').inputValue()).toBe(
      '48',
    )
    await page.getByText('= 2 døgn').waitFor()
    expect(await seriousViolations(page)).toEqual([])
  }, 120_000)
})

describe('remote links by e-mail, with a real SMTP server in the test', () => {
  let server: ServerProcess
  let smtp: Awaited<ReturnType<typeof smtpServer>>
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    smtp = await smtpServer()
    server = await startServer({
      LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LINJA_DEMO: '1',
      PUBLIC_URL: 'https://linja.kommune.test',
      SMTP_URL: smtp.url,
      SMTP_FROM: 'linja@kommune.test',
    })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const c of contexts) await c.close()
    await browser?.close()
    await server?.cleanup()
    await smtp?.close()
  })

  it('the link and the code go in two e-mails, the sending says "sendt"; one reminder asks the address again', async () => {
    const context = await tabletContext(browser)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(server.url)
    await new AccountScreen(page).signIn('pia', 'linja-demo-2026', PIN)
    await openClient(page, 'PH-01')
    const links = new RemoteLinksSection(page)
    const dialog = await links.openDialog()
    expect(await links.channels()).toEqual(['E-post', 'Vis QR-kode'])
    await dialog.getByRole('radio', { name: 'E-post' }).check()
    await dialog.getByLabel('Klientens e-postadresse').fill('kari@example')
    await dialog.getByRole('button', { name: 'Send lenke' }).click()
    await dialog
      .getByText('Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.')
      .waitFor()
    await dialog.getByLabel('Klientens e-postadresse').fill('kari@example.no')
    await dialog.getByRole('radio', { name: 'Send koden i en egen melding' }).check()
    expect(await seriousViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Send lenke' }).click()
    await dialog.getByText('Koden sendes i en egen melding.').waitFor()
    await dialog.getByText('Lenke: sendt · Kode: sendt').waitFor({ timeout: 30_000 })
    expect(smtp.mails.map((m) => m.to)).toEqual(['kari@example.no', 'kari@example.no'])
    expect(smtp.mails.map((m) => m.text).join('\n')).not.toContain('PH-01')
    await links.closeDialog()
    expect(await links.rows().first().innerText()).toMatch(
      /ORS[\s\S]*E-post[\s\S]*Venter[\s\S]*Lenke: sendt · Kode: sendt/,
    )

    await links.rows().first().getByRole('button', { name: 'Send påminnelse …' }).click()
    await links.dialog
      .getByText('Adressen lagres ikke, så den må skrives på nytt.', { exact: false })
      .waitFor()
    await links.dialog.getByLabel('Klientens e-postadresse').fill('kari@example.no')
    await links.dialog.getByRole('button', { name: 'Send påminnelsen' }).click()
    await links.dialog.waitFor({ state: 'detached' })
    await expect.poll(() => links.rows().first().innerText()).toMatch(/Påminnelse sendt/)
    expect(
      await links.rows().first().getByRole('button', { name: 'Send påminnelse …' }).count(),
    ).toBe(0)
    await expect.poll(() => smtp.mails.length, { timeout: 20_000 }).toBe(3)
  }, 120_000)
})
