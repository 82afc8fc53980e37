import type { Locator, Page } from 'playwright-core'
import { authenticatorOf, rememberAuthenticator } from '../../server/support/two-factor.ts'

/** Page models: one class per screen, in the words a person would use (nb or en). */
const TWO_FACTOR_TITLE =
  /^(Innlogging med to faktorer|Innlogging med to faktorar|Two-factor sign-in)$/

/** Enrolling an authenticator app during a sign-in. */
export class TotpEnrolmentScreen {
  constructor(readonly page: Page) {}

  get heading(): Locator {
    return this.page.getByRole('heading', {
      name: /^(Sett opp innlogging med to faktorer|Set opp innlogging med to faktorar|Set up two-factor sign-in)$/,
    })
  }

  get qrCode(): Locator {
    return this.page.getByRole('img', {
      name: /^(QR-kode for autentiseringsappen|QR code for the authenticator app)$/,
    })
  }

  /** The key as shown (grouped in fours), as a person types it into the app. */
  async secret(): Promise<string> {
    const text = await this.page.locator('code.totp-secret').textContent()
    return (text ?? '').replace(/\s+/g, '')
  }

  async confirm(code: string): Promise<void> {
    await this.page
      .getByLabel(/^(Koden appen viser nå|Koden appen viser no|The code the app shows now)$/)
      .fill(code)
    await this.page.getByRole('button', { name: /^(Bekreft|Stadfest|Confirm)$/ }).click()
  }

  get recoveryCodes(): Locator {
    return this.page.locator('ol.recovery-codes li')
  }

  async acknowledgeRecoveryCodes(): Promise<void> {
    await this.page
      .getByRole('button', {
        name: /^(Jeg har skrevet dem ned|Eg har skrive dei ned|I have written them down)$/,
      })
      .click()
  }
}

export class AccountScreen {
  constructor(readonly page: Page) {}

  /**
   * Signs in on the account page. A sign-in ends with this person's PIN on the tablet: chosen
   * now (`pin`) when the tablet has none for them, before any other screen.
   */
  async signIn(username: string, password: string, pin = '2468'): Promise<void> {
    await this.page.getByRole('link', { name: /^(Konto|Account)$/ }).click()
    await this.fill(username, password)
    await this.passSecondFactor(username)
    await this.page
      .getByText(/Logget inn som|Signed in as/)
      .first()
      .waitFor()
    await choosePinIfAsked(this.page, pin)
    await this.signedIn.waitFor()
  }

  /**
   * After the password, when the server asks a second factor (every admin): enrols the
   * authenticator on first sign-in (reads the key shown, as a person types it into the app, and
   * confirms the recovery codes), or types the app's current code. Nothing when none is asked.
   */
  async passSecondFactor(username: string): Promise<void> {
    const signedIn = this.page.getByText(/Logget inn som|Signed in as/).first()
    const enrol = this.enrolment.heading
    const code = this.page.getByRole('heading', { name: TWO_FACTOR_TITLE })
    await signedIn.or(enrol).or(code).first().waitFor()
    if (await enrol.isVisible()) {
      const secret = await this.enrolment.secret()
      const auth = rememberAuthenticator(username, secret)
      await this.enrolment.confirm(await auth.code())
      await this.enrolment.acknowledgeRecoveryCodes()
    } else if (await code.isVisible()) {
      const auth = authenticatorOf(username)
      if (!auth) throw new Error(`${username} is enrolled, but not by this test`)
      await this.typeCode(await auth.code())
    }
  }

  /** The code step: types a code and confirms. */
  async typeCode(code: string): Promise<void> {
    await this.page.getByLabel(/^(Kode fra appen|Kode frå appen|Code from the app)$/).fill(code)
    await this.page.getByRole('button', { name: /^(Bekreft|Stadfest|Confirm)$/ }).click()
  }

  get enrolment(): TotpEnrolmentScreen {
    return new TotpEnrolmentScreen(this.page)
  }

  /** The sign-in form's fields and button (on the account page or the lock screen). */
  async fill(username: string, password: string, deviceName?: string): Promise<void> {
    await this.page.getByLabel(/^(Brukernavn|Username)$/).fill(username)
    await this.page.getByLabel(/^(Passord|Password)$/).fill(password)
    if (deviceName !== undefined) await this.deviceName.fill(deviceName)
    await this.page.getByRole('button', { name: /^(Logg inn|Sign in)$/ }).click()
  }

  get deviceName(): Locator {
    return this.page.getByLabel(/^(Navn på nettbrettet|Namn på nettbrettet|Name of this tablet)/)
  }

  /** The account page once signed in (not the PIN step, which says who signed in too). */
  get signedIn(): Locator {
    return this.page.getByRole('button', { name: /^(Synkroniser nå|Sync now)$/ })
  }

  /** Fills the sign-in form and sends it, without waiting for the outcome. */
  async submitSignIn(username: string, password: string): Promise<void> {
    await this.page.getByRole('link', { name: /^(Konto|Account)$/ }).click()
    await this.page.getByLabel(/^(Brukernavn|Username)$/).fill(username)
    await this.page.getByLabel(/^(Passord|Password)$/).fill(password)
    await this.page.getByRole('button', { name: /^(Logg inn|Sign in)$/ }).click()
  }

  /** The form's error message as shown, or null when there is none. */
  async signInError(): Promise<string | null> {
    const error = this.page.locator('form p.error[role="alert"]')
    return (await error.count()) > 0 ? ((await error.first().textContent()) ?? '').trim() : null
  }
}

export class ClientsScreen {
  constructor(readonly page: Page) {}

  /** A new tablet asks for a PIN before its first client (nothing is stored in the clear). */
  async choosePinIfFirstUse(pin: string): Promise<void> {
    const code = this.page.getByLabel(/Klientkode|Client code/)
    const first = this.page.getByRole('heading', { name: /Sikre nettbrettet|Secure the tablet/ })
    await code.or(first).first().waitFor()
    if (!(await first.isVisible())) return
    await this.page.getByLabel(/Ny PIN-kode|New PIN/).fill(pin)
    await this.page.getByLabel(/Gjenta PIN-koden|Repeat the PIN/).fill(pin)
    await this.page.getByRole('button', { name: /Lagre PIN-kode|Save PIN/ }).click()
    await code.waitFor()
  }

  async createClient(code: string, birthYear: number | null, pin = '2468'): Promise<void> {
    await this.choosePinIfFirstUse(pin)
    await this.page.getByLabel(/Klientkode|Client code/).fill(code)
    if (birthYear !== null)
      await this.page.getByLabel(/Fødselsår|Year of birth/).fill(String(birthYear))
    await this.page.getByRole('button', { name: /Opprett|Create/ }).click()
    await this.page.getByRole('heading', { level: 1, name: new RegExp(code) }).waitFor()
  }
}

export class ClientScreen {
  constructor(readonly page: Page) {}

  async chooseForm(id: string): Promise<void> {
    await this.page.getByRole('radio', { name: new RegExp(`^${id} `) }).check()
  }

  async setPinIfAsked(pin: string): Promise<void> {
    const field = this.page.getByLabel(/Ny PIN-kode|New PIN/)
    // The screen knows whether a PIN exists only after reading the device database: wait until
    // it asks for one or offers the hand-over.
    await this.page.waitForFunction(() => {
      const asks = document.querySelector('input[autocomplete="new-password"]') !== null
      const button = [...document.querySelectorAll('button')].find((b) =>
        /Gi nettbrettet til klienten|Hand the tablet/.test(b.textContent ?? ''),
      )
      return asks || (button !== undefined && !button.disabled)
    })
    if (await field.isVisible()) {
      await field.fill(pin)
      await this.page.getByLabel(/Gjenta PIN-koden|Repeat the PIN/).fill(pin)
      await this.page.getByRole('button', { name: /Lagre PIN-kode|Save PIN/ }).click()
    }
  }

  async handOver(
    options: {
      form?: string
      pin?: string
      clientLanguage?: string
      /** Buttons and help, when the wording is in a language only the text pack has. */
      buttonsLanguage?: string
      rater?: string
    } = {},
  ) {
    await this.page.getByRole('heading', { name: /Start skjema|Start a form/ }).waitFor()
    if (options.form) await this.chooseForm(options.form)
    if (options.rater)
      await this.page.getByLabel(/Hvem fyller ut|Who is rating/).selectOption(options.rater)
    if (options.clientLanguage) {
      await this.page
        .getByLabel(/Klientens språk|Client's language/)
        .selectOption(options.clientLanguage)
    }
    if (options.buttonsLanguage) {
      await this.page
        .getByLabel(/Knapper og hjelpetekst på|Buttons and help in/)
        .selectOption(options.buttonsLanguage)
    }
    await this.setPinIfAsked(options.pin ?? '2468')
    await this.page
      .getByRole('button', { name: /Gi nettbrettet til klienten|Hand the tablet/ })
      .click()
    const mode = new ClientModeScreen(this.page)
    await mode.form.waitFor()
    return mode
  }

  historyRows(): Locator {
    return this.page.locator('table.history tbody tr')
  }

  /** The table under a chart (0: ORS, 1: SRS), opened with its "Vis som tabell" button. */
  async chartTableRows(index: number): Promise<Locator> {
    const box = this.page.locator('.chart-table').nth(index)
    const button = box.getByRole('button', { name: /^(Vis som tabell|Show as a table)$/ })
    if (await button.isVisible()) await button.click()
    return box.locator('tbody tr')
  }
}

export class ClientModeScreen {
  constructor(readonly page: Page) {}

  get form(): Locator {
    return this.page.locator('.client-form, .client-thanks').first()
  }

  sliders(): Locator {
    return this.page.getByRole('slider')
  }

  /** Waits until IndexedDB has confirmed `count` marks (sealed and committed) in this page. */
  async waitUntilSaved(count: number): Promise<void> {
    await this.page.waitForFunction(
      (n) => performance.getEntriesByName('linja:mark-committed').length >= n,
      count,
    )
  }

  slider(index: number): Locator {
    return this.sliders().nth(index)
  }

  /** Each line's score as its aria-valuenow says it; null for an unmarked line (which reports -1, not a score). */
  async values(): Promise<(string | null)[]> {
    return this.sliders().evaluateAll((els) =>
      els.map((e) => {
        const now = e.getAttribute('aria-valuenow')
        return now === '-1' ? null : now
      }),
    )
  }

  /** Clicks the line at a fraction of its length with the mouse. */
  async clickAt(index: number, fraction: number): Promise<void> {
    const box = await this.slider(index).boundingBox()
    if (!box) throw new Error('slider not visible')
    await this.page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2)
  }

  async dragMouse(index: number, from: number, to: number): Promise<void> {
    const box = await this.slider(index).boundingBox()
    if (!box) throw new Error('slider not visible')
    const y = box.y + box.height / 2
    await this.page.mouse.move(box.x + box.width * from, y)
    await this.page.mouse.down()
    await this.page.mouse.move(box.x + box.width * ((from + to) / 2), y, { steps: 4 })
    await this.page.mouse.move(box.x + box.width * to, y, { steps: 4 })
    await this.page.mouse.up()
  }

  /** A finger drag through Chromium's touch emulation (touchStart, touchMove..., touchEnd). */
  async dragTouch(index: number, from: number, to: number): Promise<void> {
    const box = await this.slider(index).boundingBox()
    if (!box) throw new Error('slider not visible')
    const y = box.y + box.height / 2
    const cdp = await this.page.context().newCDPSession(this.page)
    const point = (f: number) => [{ x: box.x + box.width * f, y, id: 1 }]
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(from) })
    for (let i = 1; i <= 5; i++) {
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: point(from + ((to - from) * i) / 5),
      })
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    await cdp.detach()
  }

  /** One finger through Chromium's touch emulation, along `points` (viewport px), then up. */
  private async touchPath(points: { x: number; y: number }[]): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page)
    const [first, ...rest] = points
    if (!first) return
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchStart',
      touchPoints: [{ ...first, id: 1 }],
    })
    for (const p of rest) {
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: [{ ...p, id: 1 }],
      })
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    await cdp.detach()
  }

  /** A finger swipe that starts on a line at `fraction` of its length and moves up the screen by `dy` px (to scroll down). */
  async swipeUpFrom(index: number, fraction: number, dy: number): Promise<void> {
    const box = await this.slider(index).boundingBox()
    if (!box) throw new Error('slider not visible')
    const x = box.x + box.width * fraction
    const y = box.y + box.height / 2
    await this.touchPath(Array.from({ length: 11 }, (_, i) => ({ x: x + i, y: y - (dy * i) / 10 })))
  }

  /** A finger tap on a line at a fraction of its length. */
  async tapAt(index: number, fraction: number): Promise<void> {
    const box = await this.slider(index).boundingBox()
    if (!box) throw new Error('slider not visible')
    await this.touchPath([{ x: box.x + box.width * fraction, y: box.y + box.height / 2 }])
  }

  /** Sets an exact score with the keyboard: Home, then Page Up for whole points, arrows for tenths. */
  async setByKeyboard(index: number, value: number): Promise<void> {
    await this.slider(index).focus()
    await this.page.keyboard.press('Home')
    const tenths = Math.round(value * 10)
    for (let i = 0; i < Math.floor(tenths / 10); i++) await this.page.keyboard.press('PageUp')
    for (let i = 0; i < tenths % 10; i++) await this.page.keyboard.press('ArrowRight')
  }

  async markAll(fractions: number[]): Promise<void> {
    for (const [i, f] of fractions.entries()) await this.clickAt(i, f)
  }

  doneButton(): Locator {
    return this.page.getByRole('button', { name: /^(Ferdig|Done)$/ })
  }

  async leave(pin: string): Promise<void> {
    await this.page.getByRole('button', { name: /^(Behandler|Behandlar|Practitioner)$/ }).click()
    await this.page.getByLabel(/PIN/).fill(pin)
    await this.page.getByRole('button', { name: /Lås opp|Unlock/ }).click()
  }
}

/**
 * Presses "Synkroniser nå" until `text` shows: a sync already running disables the button for a
 * moment, and on a loaded machine the next automatic sync can be minutes away.
 */
export async function syncUntilVisible(
  page: Page,
  text: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const target = page.getByText(text).first()
  while (Date.now() < deadline) {
    if (await target.isVisible().catch(() => false)) return
    const button = page.getByRole('button', { name: 'Synkroniser nå' })
    if (
      (await button.isVisible().catch(() => false)) &&
      (await button.isEnabled().catch(() => false))
    ) {
      await button.click({ timeout: 1000 }).catch(() => undefined)
    }
    await page.waitForTimeout(300)
  }
  await target.waitFor({ timeout: 1000 })
}

/** The lock screen: shown after a reload, idle or hiding once a PIN protects the data. */
export class LockScreen {
  constructor(readonly page: Page) {}

  get heading(): Locator {
    return this.page.getByRole('heading', { name: /Linja er låst|Linja is locked/ })
  }

  /** Right after a sign-in: the PIN step comes before any other screen. */
  get pinStep(): Locator {
    return this.page.getByRole('heading', {
      level: 1,
      name: /PIN-kode for dette nettbrettet|PIN for this tablet/,
    })
  }

  async choosePin(pin: string): Promise<void> {
    await this.pinStep.waitFor()
    await this.page.getByLabel(/Ny PIN-kode|New PIN/).fill(pin)
    await this.page.getByLabel(/Gjenta PIN-koden|Repeat the PIN/).fill(pin)
    await this.page.getByRole('button', { name: /Lagre PIN-kode|Save PIN/ }).click()
    await this.pinStep.waitFor({ state: 'detached' })
  }

  async unlock(pin: string): Promise<void> {
    await this.heading.waitFor()
    await this.page.getByLabel(/Behandlerens PIN-kode|Practitioner's PIN/).fill(pin)
    await this.page.getByRole('button', { name: /Lås opp|Unlock/ }).click()
    await this.heading.waitFor({ state: 'detached' })
  }
}

/** Right after a first sign-in the app asks for a PIN (it wraps the practitioner's key). */
export async function choosePinIfAsked(page: Page, pin: string): Promise<void> {
  const field = page.getByLabel(/Ny PIN-kode|New PIN/)
  if (await field.isVisible().catch(() => false)) {
    await field.fill(pin)
    await page.getByLabel(/Gjenta PIN-koden|Repeat the PIN/).fill(pin)
    await page.getByRole('button', { name: /Lagre PIN-kode|Save PIN/ }).click()
    // The form goes once the PIN wraps the key.
    await field.waitFor({ state: 'detached' })
  }
}

/** After a reload or a new page the key is gone from memory: the PIN opens the data again. */
export async function unlockIfLocked(page: Page, pin: string): Promise<void> {
  const lock = new LockScreen(page)
  await page.locator('#root > *').first().waitFor()
  if (await lock.heading.isVisible().catch(() => false)) await lock.unlock(pin)
}

/** The new-client form at the top of the client list. */
export class NewClientForm {
  constructor(readonly page: Page) {}

  get heading(): Locator {
    return this.page.getByRole('heading', { name: /^(Ny klient|New client)$/ })
  }
  get code(): Locator {
    return this.page.getByLabel(/^(Klientkode|Client code)$/)
  }
  get birthYear(): Locator {
    return this.page.getByLabel(/^(Fødselsår|Year of birth)$/)
  }
  get ageGroup(): Locator {
    return this.page.getByLabel(/^(Aldersgruppe|Age group)/)
  }
  async submit(): Promise<void> {
    await this.page.getByRole('button', { name: /^(Opprett|Create)$/ }).click()
  }
}

/** A client's episodes: ending (with a dialog), reopening and starting anew. */
export class EpisodeControls {
  constructor(readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole('dialog')
  }

  async openEndDialog(): Promise<Locator> {
    await this.page.getByRole('button', { name: /^(Avslutt forløp …|End episode …)$/ }).click()
    await this.dialog.waitFor()
    return this.dialog
  }

  /** Ends the current episode, saying how it ended (e.g. 'Planlagt (enige)'). */
  async end(ending: string): Promise<void> {
    const dialog = await this.openEndDialog()
    await dialog.getByRole('radio', { name: ending }).check()
    await dialog.getByRole('button', { name: /^(Avslutt forløpet|End the episode)$/ }).click()
    await this.dialog.waitFor({ state: 'detached' })
  }

  async reopen(reason: string): Promise<void> {
    await this.page
      .getByRole('button', { name: /^(Gjenåpne forløpet …|Reopen the episode …)$/ })
      .click()
    await this.dialog.getByLabel(/^(Begrunnelse|Reason)$/).fill(reason)
    await this.dialog.getByRole('button', { name: /^(Gjenåpne|Reopen)$/ }).click()
    await this.dialog.waitFor({ state: 'detached' })
  }

  newEpisodeButton(): Locator {
    return this.page.getByRole('button', { name: /^(Nytt forløp|New episode)$/ })
  }

  /** One heading per episode in the history, newest first. */
  historyHeadings(): Locator {
    return this.page.locator('.episode-history h3')
  }
}

/** Forms the client left before "Ferdig", on the client page. */
export class UnfinishedForms {
  constructor(readonly page: Page) {}

  get section(): Locator {
    return this.page.locator('#unfinished')
  }
  items(): Locator {
    return this.section.locator('li')
  }
  async handBack(index = 0): Promise<ClientModeScreen> {
    await this.items()
      .nth(index)
      .getByRole('button', { name: /Gi til klienten|Hand back/ })
      .click()
    const mode = new ClientModeScreen(this.page)
    await mode.form.waitFor()
    return mode
  }
  async discard(index = 0): Promise<void> {
    await this.items()
      .nth(index)
      .getByRole('button', { name: /^(Forkast …|Discard …)$/ })
      .click()
    const dialog = this.page.getByRole('dialog')
    await dialog.getByRole('button', { name: /^(Forkast skjemaet|Discard the form)$/ }).click()
    await dialog.waitFor({ state: 'detached' })
  }
}

/** The header every practitioner screen has: menu and the sync status line. */
export class AppHeader {
  constructor(readonly page: Page) {}

  /** The sync status line: online or not, what waits and why, the last sync. */
  async text(): Promise<string> {
    return (
      (await this.page
        .locator('.net-status')
        .innerText()
        .catch(() => '')) ?? ''
    )
  }

  /** Locks at once (Innstillinger › Lås nå), as before handing the tablet on. */
  async lockNow(): Promise<void> {
    await this.page.getByRole('link', { name: /^(Innstillinger|Innstillingar|Settings)$/ }).click()
    await this.page.getByRole('button', { name: /^(Lås nå|Lås no|Lock now)$/ }).click()
    await new LockScreen(this.page).heading.waitFor()
  }
}

export class SettingsScreen {
  constructor(readonly page: Page) {}

  /** Innstillinger › Dette nettbrettet: the name the administrator sees. */
  async renameTablet(name: string): Promise<void> {
    await this.page.getByRole('link', { name: /^(Innstillinger|Innstillingar|Settings)$/ }).click()
    const section = this.page.getByRole('region', { name: /Dette nettbrettet|This tablet/ })
    await section
      .getByLabel(/Navn på nettbrettet|Namn på nettbrettet|Name of this tablet/)
      .fill(name)
    await section.getByRole('button', { name: /Lagre navnet|Lagre namnet|Save the name/ }).click()
    await section.getByText(/Navnet er lagret|Namnet er lagra|The name is saved/).waitFor()
  }
}

/** What sticks out sideways: the page's own overflow and controls past the screen's right edge. */
export async function sidewaysOverflow(page: Page): Promise<{ page: number; controls: string[] }> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement
    const controls = [...document.querySelectorAll('main button, main select, main input, main a')]
      .filter((el) => {
        const r = el.getBoundingClientRect()
        return r.width > 0 && r.right > window.innerWidth + 0.5
      })
      .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}"`)
    return { page: root.scrollWidth - root.clientWidth, controls }
  })
}

/** The administration: sections with their own addresses and a menu. */
export class AdminScreen {
  constructor(readonly page: Page) {}

  get menu(): Locator {
    return this.page.getByRole('navigation', {
      name: /Deler av administrasjonen|Parts of the administration/,
    })
  }

  async open(section: string | RegExp): Promise<void> {
    // Exact: "Logg" is also in "Innsynslogg".
    await this.menu.getByRole('link', { name: section, exact: true }).click()
  }

  async current(): Promise<string> {
    return (await this.menu.locator('[aria-current="page"]').innerText()).trim()
  }

  people(): Locator {
    return this.page.getByRole('table', { name: /^(Ansatte|Staff)$/ })
  }

  /** Sets a temporary password in the dialog (never a browser prompt). */
  async setPassword(name: string, password: string, repeat = password): Promise<Locator> {
    await this.page
      .getByRole('button', { name: new RegExp(`(Nytt passord|New password) for ${name}`) })
      .click()
    const dialog = this.page.getByRole('dialog', { name: new RegExp(name) })
    await dialog.getByLabel(/Midlertidig passord|Temporary password/).fill(password)
    await dialog.getByLabel(/Gjenta passordet|Repeat the password/).fill(repeat)
    await dialog.getByRole('button', { name: /Sett passordet|Set the password/ }).click()
    return dialog
  }
}

/** The reports screen: controls, the legend and the two tables of key figures. */
export class ReportsScreen {
  constructor(readonly page: Page) {}

  async choose(options: { unit?: string; period?: 'month' | 'quarter' | 'year'; from?: string }) {
    if (options.unit)
      await this.page.getByRole('combobox', { name: /^(Enhet|Unit)$/ }).selectOption({
        label: options.unit,
      })
    if (options.period)
      await this.page
        .getByRole('combobox', { name: /^(Periode|Period)$/ })
        .selectOption(options.period)
    if (options.from) await this.page.getByLabel(/^(Fra|From)$/).fill(options.from)
  }

  showButton(): Locator {
    return this.page.getByRole('button', { name: /^(Vis rapport|Show report)$/ })
  }

  async show(): Promise<void> {
    await this.showButton().click()
    await this.trendRows().first().waitFor()
  }

  trendRows(): Locator {
    return this.page.locator('table.trend tbody tr')
  }

  compareRows(): Locator {
    return this.page.locator('table.compare tbody tr')
  }

  /** The row names (first column) of a table. */
  async rowNames(rows: Locator): Promise<string[]> {
    return rows.locator('th').allInnerTexts()
  }
}

/** The innsynslogg of one client (from its page, or the administration's section). */
export class AccessLogScreen {
  constructor(readonly page: Page) {}

  heading(code: string): Locator {
    return this.page.getByRole('heading', {
      level: 2,
      name: new RegExp(`(Innsynslogg for klient|Access log for client) ${code}`),
    })
  }

  /** The administrator's search by client code. */
  async find(code: string): Promise<void> {
    await this.page.getByLabel(/^(Klientkode|Client code)$/).fill(code)
    await this.page.getByRole('button', { name: /^(Finn klient|Find client)$/ }).click()
  }

  /** Each entry's cells as one text, newest first. */
  async rows(): Promise<string[]> {
    const rows = this.page.locator('table.access-log-table tbody tr')
    await rows.first().waitFor()
    return rows.allInnerTexts()
  }

  /** Downloads the CSV; returns the file's path. */
  async downloadCsv(): Promise<string> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: /^(Last ned CSV|Download CSV)$/ }).click(),
    ])
    return download.path()
  }
}

/** The client's remote form page (/r/), on their own phone or computer. */
export class RemoteFormPage {
  /** The lines behave as in client mode: the same touch, mouse and keyboard steps. */
  readonly lines: ClientModeScreen

  constructor(readonly page: Page) {
    this.lines = new ClientModeScreen(page)
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }

  codeField(): Locator {
    return this.page.getByLabel(/^(Kode \(6 siffer\)|Code \(6 digits\))$/)
  }

  async giveCode(code: string): Promise<void> {
    await this.codeField().fill(code)
    await this.page
      .getByRole('button', { name: /^(Åpne skjemaet|Opne skjemaet|Open the form)$/ })
      .click()
  }

  /** Opened at /r/ with nothing: the short code read out by the practitioner, then the code. */
  async giveShortCode(shortCode: string, code: string): Promise<void> {
    await this.page.getByLabel(/^(Skjemakode|Form code)/).fill(shortCode)
    await this.giveCode(code)
  }

  problem(): Locator {
    return this.page.getByRole('alert')
  }

  /** A finger tap on a line; on a phone the line may first have to be scrolled to. */
  async tapAt(index: number, fraction: number): Promise<void> {
    await this.lines.slider(index).scrollIntoViewIfNeeded()
    await this.lines.tapAt(index, fraction)
  }

  async dragTouch(index: number, from: number, to: number): Promise<void> {
    await this.lines.slider(index).scrollIntoViewIfNeeded()
    await this.lines.dragTouch(index, from, to)
  }

  async chooseLanguage(name: 'Bokmål' | 'Nynorsk' | 'English'): Promise<void> {
    await this.page.getByRole('button', { name, exact: true }).click()
  }

  async send(): Promise<void> {
    await this.lines.doneButton().click()
  }
}

/** "Skjema på lenke" on a client's page: the dialog that makes a link, and the list of links. */
export class RemoteLinksSection {
  constructor(readonly page: Page) {}

  get section(): Locator {
    return this.page.getByRole('region', {
      name: /^(Skjema på lenke|Skjema på lenkje|Forms by link)$/,
    })
  }
  get sendButton(): Locator {
    return this.section.getByRole('button', { name: /^(Send lenke …|Send lenkje …|Send link …)$/ })
  }
  get dialog(): Locator {
    return this.page.getByRole('dialog')
  }

  async openDialog(): Promise<Locator> {
    await this.sendButton.click()
    await this.dialog.waitFor()
    return this.dialog
  }

  /** The ways of sending the dialog offers, as their labels read. */
  async channels(): Promise<string[]> {
    return this.dialog
      .getByRole('group', {
        name: /^(Hvordan klienten får lenken|Korleis klienten får lenkja|How the client gets the link)$/,
      })
      .getByRole('radio')
      .evaluateAll((els) => els.map((e) => e.closest('label')?.textContent?.trim() ?? ''))
  }

  /** Makes a link shown as a QR code; resolves when the codes are shown. */
  async makeQrLink(form: string): Promise<{ shortCode: string; code: string }> {
    const dialog = await this.openDialog()
    await dialog.getByRole('radio', { name: new RegExp(`^${form} `) }).check()
    await dialog.getByRole('radio', { name: /^(Vis QR-kode|Show QR code)$/ }).check()
    await dialog.getByRole('button', { name: /^(Lag lenke|Lag lenkje|Make link)$/ }).click()
    await this.qrCode.waitFor()
    const codes = await dialog.locator('.big-code').allInnerTexts()
    return { shortCode: codes[0] ?? '', code: codes[1] ?? '' }
  }

  get qrCode(): Locator {
    return this.dialog.getByRole('img', {
      name: /^(QR-kode med lenken til skjemaet|QR-kode med lenkja til skjemaet|QR code with the link to the form)$/,
    })
  }

  async closeDialog(): Promise<void> {
    await this.dialog.getByRole('button', { name: /^(Lukk|Close)$/ }).click()
    await this.dialog.waitFor({ state: 'detached' })
  }

  /** Each link's row as one text, newest first. */
  rows(): Locator {
    return this.section.locator('table.remote-links tbody tr')
  }

  async revoke(index = 0): Promise<void> {
    await this.rows()
      .nth(index)
      .getByRole('button', { name: /^(Trekk tilbake …|Revoke …)$/ })
      .click()
    await this.dialog
      .getByRole('button', {
        name: /^(Trekk tilbake lenken|Trekk tilbake lenkja|Revoke the link)$/,
      })
      .click()
    await this.dialog.waitFor({ state: 'detached' })
  }
}
