import {
  type Browser,
  type BrowserContext,
  chromium,
  type LaunchOptions,
  type Page,
} from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Flags that keep Debian's Chromium quiet and working as root on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, ...options })
}

export const TABLET_PORTRAIT = { width: 768, height: 1024 }
export const TABLET_LANDSCAPE = { width: 1024, height: 768 }
export const TABLET_WIDE = { width: 1280, height: 800 }

export async function tabletContext(
  browser: Browser,
  viewport = TABLET_PORTRAIT,
  extra: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  return browser.newContext({ viewport, hasTouch: true, deviceScaleFactor: 1, ...extra })
}

/**
 * With a folder given (a test's screenshot variable), the page at both tablet sizes as
 * `<name>-768x1024.png` and `<name>-1024x768.png`, for a person to look at; ends in portrait.
 */
export async function shootBothSizes(page: Page, dir: string | undefined, name: string) {
  if (!dir) return
  for (const [size, viewport] of [
    ['768x1024', TABLET_PORTRAIT],
    ['1024x768', TABLET_LANDSCAPE],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.screenshot({ path: `${dir}/${name}-${size}.png`, fullPage: true })
  }
  await page.setViewportSize(TABLET_PORTRAIT)
}
