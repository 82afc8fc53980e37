import { describe, expect, it } from 'vitest'
import { initI18n } from '../../src/i18n/index.ts'
import { describeClockSkew } from '../../src/state/clock-skew.ts'
import { clockSkewText } from '../../src/ui/account/sync-words.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

describe('clock skew in words (S17)', () => {
  it('says nothing within five minutes, then the way and the largest whole unit', () => {
    expect(describeClockSkew(null)).toBeNull()
    expect(describeClockSkew(5 * MINUTE)).toBeNull()
    expect(describeClockSkew(-5 * MINUTE)).toBeNull()
    expect(describeClockSkew(7 * MINUTE)).toEqual({ direction: 'ahead', amount: 7, unit: 'minute' })
    expect(describeClockSkew(-150 * MINUTE)).toEqual({
      direction: 'behind',
      amount: 3,
      unit: 'hour',
    })
    expect(describeClockSkew(3 * DAY + 5 * MINUTE)).toEqual({
      direction: 'ahead',
      amount: 3,
      unit: 'day',
    })
  })

  it('tells the person in their language, with the unit in the right number', async () => {
    const i18n = await initI18n('nb')
    const text = async (locale: 'nb' | 'nn' | 'en', ms: number) => {
      await i18n.changeLanguage(locale)
      const skew = describeClockSkew(ms)
      if (!skew) throw new Error('no skew')
      return clockSkewText(skew, i18n.t, locale)
    }
    expect(await text('nb', 3 * DAY)).toBe(
      'Klokka på nettbrettet går 3 døgn for fort i forhold til serveren. Still klokka i innstillingene på nettbrettet.',
    )
    expect(await text('nn', -2 * 60 * MINUTE)).toMatch(
      /^Klokka på nettbrettet går 2 timar for seint/,
    )
    expect(await text('en', -DAY)).toBe(
      "The tablet's clock is 1 day behind the server's. Set the right time in the tablet's settings.",
    )
    expect(await text('en', 6 * MINUTE)).toMatch(/is 6 minutes ahead/)
  })
})
