import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  hasAtMostOneDecimal,
  INSTRUMENT_IDS,
  INSTRUMENTS,
  parseTypedScore,
  roundScore,
  scoreFromFraction,
  totalScore,
  validateItems,
} from '../../src/core/index.ts'

const ORS_ITEMS = INSTRUMENTS.ORS.items.map((i) => i.id)
const ors = (values: number[]): Record<string, number> =>
  Object.fromEntries(ORS_ITEMS.map((id, i) => [id, values[i] ?? Number.NaN]))

describe('scoreFromFraction and rounding', () => {
  it('turns the mark position into a score in tenths, rounding halves up despite float noise', () => {
    // The trap: 0.235 of the line is 2.35 cm, but 0.235 * 100 is 23.499999999999996.
    expect(Math.round(0.235 * 10 * 10) / 10).toBe(2.3)
    expect(scoreFromFraction(0.235)).toBe(2.4)
    expect(scoreFromFraction(0.565)).toBe(5.7)
    expect(scoreFromFraction(0.35)).toBe(3.5)
    expect(scoreFromFraction(0.05)).toBe(0.5)
    expect(scoreFromFraction(0.349)).toBe(3.5)
    expect(scoreFromFraction(0.344)).toBe(3.4)
    expect(scoreFromFraction(1 / 3)).toBe(3.3)
    expect(scoreFromFraction(0.999)).toBe(10)
    expect(scoreFromFraction(0)).toBe(0)
  })

  it('clamps marks outside the line to its ends and refuses NaN', () => {
    expect(scoreFromFraction(-0.2)).toBe(0)
    expect(scoreFromFraction(1.5)).toBe(10)
    expect(scoreFromFraction(Number.POSITIVE_INFINITY)).toBe(10)
    expect(() => scoreFromFraction(Number.NaN)).toThrow(RangeError)
  })

  it('rounds to one decimal and normalises negative zero', () => {
    expect(roundScore(1.05)).toBe(1.1)
    expect(roundScore(2.675)).toBe(2.7)
    expect(roundScore(8.2 - 3.2)).toBe(5)
    expect(Object.is(roundScore(-0.01), 0)).toBe(true)
    expect(() => roundScore(Number.NaN)).toThrow(RangeError)
  })

  it('property: any fraction gives a score within 0–10 with at most one decimal', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (f) => {
        const s = scoreFromFraction(f)
        expect(s).toBeGreaterThanOrEqual(0)
        expect(s).toBeLessThanOrEqual(10)
        expect(hasAtMostOneDecimal(s)).toBe(true)
        expect(Number(s.toFixed(1))).toBe(s)
      }),
    )
  })

  it('property: rounding is idempotent and never moves a value more than half a tenth', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (x) => {
        const once = roundScore(x)
        expect(roundScore(once)).toBe(once)
        expect(Math.abs(once - x)).toBeLessThanOrEqual(0.05 + 1e-9)
      }),
    )
  })

  it('property: a mark already in tenths is returned unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), (t) => {
        expect(scoreFromFraction(t / 100)).toBe(t / 10)
      }),
    )
  })
})

describe('totalScore', () => {
  it('sums items without float noise', () => {
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6)
    expect(totalScore([0.1, 0.2, 0.3])).toBe(0.6)
    expect(totalScore(ors([7.3, 6.1, 5.5, 8.8]))).toBe(27.7)
    expect(totalScore([])).toBe(0)
  })
})

describe('validateItems: hand cases', () => {
  it('accepts zero as a real score but reports an unmarked item as missing', () => {
    const zero = validateItems('ORS', ors([0, 0, 0, 0]))
    expect(zero).toEqual({ ok: true, items: ors([0, 0, 0, 0]), total: 0 })
    const unmarked = validateItems('ORS', { ...ors([0, 0, 0, 0]), 'ors.overall': null })
    expect(unmarked).toEqual({
      ok: false,
      errors: [{ code: 'missing-item', itemId: 'ors.overall' }],
    })
    const absent = validateItems('ORS', {
      'ors.individually': 5,
      'ors.interpersonally': 5,
      'ors.socially': 5,
    })
    expect(absent).toEqual({ ok: false, errors: [{ code: 'missing-item', itemId: 'ors.overall' }] })
  })

  it('accepts one decimal (3.3, 10.0) and rejects two (3.25)', () => {
    expect(validateItems('ORS', ors([3.3, 10, 0.1, 9.9]))).toMatchObject({ ok: true, total: 23.3 })
    expect(validateItems('ORS', ors([3.25, 1, 1, 1]))).toEqual({
      ok: false,
      errors: [{ code: 'too-many-decimals', itemId: 'ors.individually', value: 3.25 }],
    })
  })

  it('rejects out-of-range, non-numbers and unknown items, reporting every problem', () => {
    const result = validateItems('ORS', {
      'ors.individually': 10.1,
      'ors.interpersonally': -0.1,
      'ors.socially': '7',
      'ors.overall': Number.POSITIVE_INFINITY,
      'srs.goals': 4,
    })
    expect(result).toEqual({
      ok: false,
      errors: [
        { code: 'out-of-range', itemId: 'ors.individually', value: 10.1, min: 0, max: 10 },
        { code: 'out-of-range', itemId: 'ors.interpersonally', value: -0.1, min: 0, max: 10 },
        { code: 'not-a-number', itemId: 'ors.socially' },
        { code: 'not-a-number', itemId: 'ors.overall' },
        { code: 'unknown-item', itemId: 'srs.goals' },
      ],
    })
  })

  it('rejects an unknown instrument', () => {
    expect(validateItems('PHQ9', {})).toEqual({
      ok: false,
      errors: [{ code: 'unknown-instrument', instrumentId: 'PHQ9' }],
    })
  })

  it('normalises float noise to exact tenths', () => {
    const result = validateItems('ORS', ors([0.1 + 0.2, 1, 1, 1]))
    expect(result).toEqual({ ok: true, items: ors([0.3, 1, 1, 1]), total: 3.3 })
  })
})

const tenths = fc.integer({ min: 0, max: 100 })
const validForm = fc.constantFrom(...INSTRUMENT_IDS).chain((id) =>
  fc
    .array(tenths, {
      minLength: INSTRUMENTS[id].items.length,
      maxLength: INSTRUMENTS[id].items.length,
    })
    .map((values) => ({
      id,
      tenths: values,
      items: Object.fromEntries(
        INSTRUMENTS[id].items.map((item, i) => [item.id, (values[i] ?? 0) / 10]),
      ),
    })),
)

describe('validateItems: properties', () => {
  it('accepts every valid form; the total is the sum of the items and lies within 0–40', () => {
    fc.assert(
      fc.property(validForm, ({ id, tenths: t, items }) => {
        const result = validateItems(id, items)
        if (!result.ok) throw new Error(JSON.stringify(result.errors))
        expect(result.items).toEqual(items)
        expect(result.total).toBe(t.reduce((s, v) => s + v, 0) / 10)
        expect(result.total).toBeGreaterThanOrEqual(0)
        expect(result.total).toBeLessThanOrEqual(40)
      }),
    )
  })

  const mutations = [
    { code: 'not-a-number', apply: () => Number.NaN },
    { code: 'out-of-range', apply: (v: number) => (v >= 5 ? 10 + (v % 3) + 0.1 : -0.1 - v) },
    { code: 'too-many-decimals', apply: (v: number) => Math.min(v, 9.9) + 0.05 },
    { code: 'missing-item', apply: () => undefined },
  ] as const

  it('reports exactly the mutated item with the specific error', () => {
    fc.assert(
      fc.property(
        validForm,
        fc.nat(),
        fc.constantFrom(...mutations),
        ({ id, items }, pick, mutation) => {
          const keys = Object.keys(items)
          const target = keys[pick % keys.length] ?? ''
          const mutated: Record<string, number | undefined> = {
            ...items,
            [target]: mutation.apply(items[target] ?? 0),
          }
          const result = validateItems(id, mutated)
          expect(result.ok).toBe(false)
          if (!result.ok) {
            expect(result.errors).toHaveLength(1)
            expect(result.errors[0]).toMatchObject({ code: mutation.code, itemId: target })
          }
        },
      ),
    )
  })

  it('reports an extra item as unknown', () => {
    fc.assert(
      fc.property(validForm, fc.string({ minLength: 1 }), ({ id, items }, extra) => {
        fc.pre(!(extra in items) && extra !== '__proto__')
        const result = validateItems(id, { ...items, [extra]: 5 })
        expect(result).toEqual({ ok: false, errors: [{ code: 'unknown-item', itemId: extra }] })
      }),
    )
  })
})

describe('parseTypedScore', () => {
  it.each([
    ['7,3', 7.3],
    ['7.3', 7.3],
    [' 10 ', 10],
    ['0', 0],
    ['0,0', 0],
    ['7,30', 7.3],
    ['7,', 7],
    ['10,0', 10],
  ])('reads %j as %s', (text, value) => {
    expect(parseTypedScore(text, 'nb')).toEqual({ ok: true, value })
  })

  it.each([
    ['', { code: 'empty' }],
    ['   ', { code: 'empty' }],
    ['abc', { code: 'not-a-number', text: 'abc' }],
    ['7 3', { code: 'not-a-number', text: '7 3' }],
    ['1,000.5', { code: 'not-a-number', text: '1,000.5' }],
    ['11', { code: 'out-of-range', value: 11, min: 0, max: 10 }],
    ['10,1', { code: 'out-of-range', value: 10.1, min: 0, max: 10 }],
    ['-1', { code: 'out-of-range', value: -1, min: 0, max: 10 }],
    ['7.25', { code: 'too-many-decimals', value: 7.25 }],
    ['7,25', { code: 'too-many-decimals', value: 7.25 }],
  ])('rejects %j', (text, error) => {
    expect(parseTypedScore(text, 'nb')).toEqual({ ok: false, error })
  })

  it('property: every score in tenths survives being typed with comma or dot, in any locale', () => {
    fc.assert(
      fc.property(
        tenths,
        fc.constantFrom(',', '.'),
        fc.constantFrom('nb', 'nn', 'en'),
        (t, sep, locale) => {
          const text = `${Math.floor(t / 10)}${sep}${t % 10}`
          expect(parseTypedScore(text, locale)).toEqual({ ok: true, value: t / 10 })
        },
      ),
    )
  })
})
