// Issue 14.11 and 14.16 in the app: a 429 says when to try again, a 413 says "too large", in nb, nn and en.
import { describe, expect, it } from 'vitest'
import { initI18n } from '../../src/i18n/index.ts'
import { httpTransport, SyncHttpError } from '../../src/sync/index.ts'
import { syncErrorText } from '../../src/ui/account/sync-words.ts'

async function failure(promise: Promise<unknown>): Promise<SyncHttpError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof SyncHttpError) return error
    throw error
  }
  throw new Error('expected a SyncHttpError')
}

/** A server (or a proxy in front of it) answering every request with this. */
const answering = (status: number, body: string, headers: Record<string, string> = {}) =>
  httpTransport('https://linja.example', async () => new Response(body, { status, headers }))

describe('too many attempts and too large, in words', () => {
  it('a 429 carries its Retry-After to the words: "Prøv igjen om N minutter"', async () => {
    const error = await failure(
      answering(429, JSON.stringify({ error: 'rate_limited', message: 'Too many' }), {
        'retry-after': '600',
      }).login('pia', 'pw', 'tablet'),
    )
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 600 })
    const i18n = await initI18n('nb')
    expect(syncErrorText(error, i18n.t)).toBe('For mange forsøk. Prøv igjen om 10 minutter.')
    await i18n.changeLanguage('nn')
    expect(syncErrorText(error, i18n.t)).toBe('For mange forsøk. Prøv igjen om 10 minutt.')
    await i18n.changeLanguage('en')
    expect(syncErrorText(error, i18n.t)).toBe('Too many attempts. Try again in 10 minutes.')
  })

  it.each([
    ['nb', 60, 'For mange forsøk. Prøv igjen om 1 minutt.'],
    ['nb', 61, 'For mange forsøk. Prøv igjen om 2 minutter.'],
    ['nb', 45, 'For mange forsøk. Prøv igjen om 45 sekunder.'],
    ['nb', 1, 'For mange forsøk. Prøv igjen om 1 sekund.'],
    ['en', 60, 'Too many attempts. Try again in 1 minute.'],
    ['en', 30, 'Too many attempts. Try again in 30 seconds.'],
    ['nn', 120, 'For mange forsøk. Prøv igjen om 2 minutt.'],
    ['nb', null, 'For mange forsøk. Vent litt og prøv igjen.'],
  ] as const)('%s, Retry-After %s s: %s', async (locale, seconds, words) => {
    const i18n = await initI18n(locale)
    await i18n.changeLanguage(locale)
    const error = new SyncHttpError(429, 'rate_limited', {}, undefined, seconds)
    expect(syncErrorText(error, i18n.t)).toBe(words)
    // The sync status keeps the last error as a plain object: the same words.
    expect(
      syncErrorText({ code: 'rate_limited', message: '', retryAfterSeconds: seconds }, i18n.t),
    ).toBe(words)
  })

  it('a 413 says "too large", also when a proxy in front answers with its own HTML page', async () => {
    const fromLinja = await failure(
      answering(
        413,
        JSON.stringify({ error: 'too_large', message: 'The request is larger than 1 MiB' }),
      ).login('pia', 'pw', 'tablet'),
    )
    const fromProxy = await failure(
      answering(413, '<html><body>413 Request Entity Too Large</body></html>', {
        'content-type': 'text/html',
      }).login('pia', 'pw', 'tablet'),
    )
    const i18n = await initI18n('nb')
    for (const error of [fromLinja, fromProxy]) {
      expect(error).toMatchObject({ status: 413, code: 'too_large' })
      await i18n.changeLanguage('nb')
      expect(syncErrorText(error, i18n.t)).toBe(
        'Det du sendte er for stort for serveren. Gjør det mindre og prøv igjen.',
      )
      await i18n.changeLanguage('nn')
      expect(syncErrorText(error, i18n.t)).toMatch(/^Det du sende er for stort/)
      await i18n.changeLanguage('en')
      expect(syncErrorText(error, i18n.t)).toBe(
        'What you sent is too large for the server. Make it smaller and try again.',
      )
    }
  })
})
