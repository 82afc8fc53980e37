// Issue 16.3 in the browser: an admin enrols an authenticator app at the first sign-in, then signs in on another tablet with a code.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authenticatorOf } from '../server/support/two-factor.ts'
import { ADMIN_PASSWORD } from './support/api.ts'
import { seriousViolations } from './support/axe.ts'
import {
  launchChromium,
  shootBothSizes,
  TABLET_PORTRAIT,
  tabletContext,
} from './support/browser.ts'
import { AccountScreen, choosePinIfAsked } from './support/pages.ts'
import { type ServerProcess, startServer } from './support/server-process.ts'

const PIN = '2468'
const shots = process.env.LINJA_SCREENSHOTS

describe('two-factor sign-in', () => {
  let server: ServerProcess
  let browser: Browser

  beforeAll(async () => {
    server = await startServer({ LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.cleanup()
  })

  it('an admin enrols the app (QR code, key, first code, recovery codes), then signs in on another tablet with a code', async () => {
    const first = await (await tabletContext(browser, TABLET_PORTRAIT)).newPage()
    await first.goto(server.url)
    const account = new AccountScreen(first)
    await account.submitSignIn('admin', ADMIN_PASSWORD)
    const enrolment = account.enrolment
    await enrolment.heading.waitFor()
    await enrolment.qrCode.waitFor()
    expect(await enrolment.secret()).toMatch(/^[A-Z2-7]{32}$/)
    expect(await seriousViolations(first)).toEqual([])
    await shootBothSizes(first, shots, 'two-factor-enrol')
    // A wrong first code is refused in words, and nothing is signed in.
    await enrolment.confirm('000000')
    await first.getByText(/^Feil kode\./).waitFor()
    await account.passSecondFactor('admin')
    // passSecondFactor saw the enrolment again and confirmed a real code: the recovery codes came and went.
    await first
      .getByText(/Logget inn som/)
      .first()
      .waitFor()
    await choosePinIfAsked(first, PIN)
    await account.signedIn.waitFor()

    const second = await (await tabletContext(browser, TABLET_PORTRAIT)).newPage()
    await second.goto(server.url)
    const other = new AccountScreen(second)
    await other.submitSignIn('admin', ADMIN_PASSWORD)
    await second.getByRole('heading', { name: 'Innlogging med to faktorer' }).waitFor()
    expect(await seriousViolations(second)).toEqual([])
    await shootBothSizes(second, shots, 'two-factor-code')
    const auth = authenticatorOf('admin')
    if (!auth) throw new Error('not enrolled')
    await other.typeCode(await auth.code())
    await second
      .getByText(/Logget inn som/)
      .first()
      .waitFor()
    await choosePinIfAsked(second, PIN)
    await other.signedIn.waitFor()
  })
})
