// Item and total scores: a mark's position on a 10 cm line, kept to one decimal (mm precision).
import { getInstrument } from './instruments.ts'
import type { Locale } from './types.ts'

export const ITEM_MIN = 0
export const ITEM_MAX = 10

// Absorbs binary float noise (0.35 * 10 === 3.4999999999999996) without moving any value that
// is genuinely below a half step: real marks are mm apart, many orders above this.
const HALF_STEP_EPSILON = 1e-9
// A value counts as "one decimal" when it lies this close to a tenth (3.3 * 10 is not exactly 33
// for every input, but it is within 1e-9; 3.25 is 0.5 tenths away).
const TENTH_TOLERANCE = 1e-6

/** Round to one decimal, half away from zero, robust to float noise, idempotent. */
export function roundScore(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`Not a finite score: ${x}`)
  const sign = x < 0 ? -1 : 1
  const rounded = (sign * Math.round(Math.abs(x) * 10 + HALF_STEP_EPSILON)) / 10
  return rounded === 0 ? 0 : rounded // normalise -0
}

/** Item score from the mark's position as a fraction of the line (0 = left end). */
export function scoreFromFraction(fraction: number): number {
  if (Number.isNaN(fraction)) throw new RangeError('Fraction is NaN')
  const clamped = Math.min(1, Math.max(0, fraction))
  return roundScore(clamped * ITEM_MAX)
}

/** Sum of item scores, rounded to one decimal so that float noise never shows in a total. */
export function totalScore(items: Readonly<Record<string, number>> | readonly number[]): number {
  const values: readonly number[] = Array.isArray(items) ? items : Object.values(items)
  return roundScore(values.reduce((sum, v) => sum + v, 0))
}

export function hasAtMostOneDecimal(x: number): boolean {
  return Math.abs(x * 10 - Math.round(x * 10)) < TENTH_TOLERANCE
}

export type ScoreError =
  | { code: 'unknown-instrument'; instrumentId: string }
  | { code: 'missing-item'; itemId: string }
  | { code: 'unknown-item'; itemId: string }
  | { code: 'not-a-number'; itemId: string }
  | { code: 'out-of-range'; itemId: string; value: number; min: number; max: number }
  | { code: 'too-many-decimals'; itemId: string; value: number }

export type ScoreErrorCode = ScoreError['code']

export type ValidateItemsResult =
  | { ok: true; items: Record<string, number>; total: number }
  | { ok: false; errors: ScoreError[] }

export type ItemCheck = { ok: true; value: number } | { ok: false; error: ScoreError }

/** One item's mark: the rule validateItems applies to every item, for code that checks one mark at a time. */
export function checkItemValue(
  itemId: string,
  value: unknown,
  min: number,
  max: number,
): ItemCheck {
  // An unmarked item is not a zero: 0 is the far-left mark, "missing" is no mark at all.
  if (value === null || value === undefined)
    return { ok: false, error: { code: 'missing-item', itemId } }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { ok: false, error: { code: 'not-a-number', itemId } }
  }
  if (value < min || value > max)
    return { ok: false, error: { code: 'out-of-range', itemId, value, min, max } }
  if (!hasAtMostOneDecimal(value))
    return { ok: false, error: { code: 'too-many-decimals', itemId, value } }
  return { ok: true, value: roundScore(value) }
}

/**
 * Validate one administration's items against its instrument. Accepts `unknown` values because
 * the server feeds it parsed JSON. On success the items are normalised to exact tenths.
 */
export function validateItems(
  instrumentId: string,
  items: Readonly<Record<string, unknown>>,
): ValidateItemsResult {
  const instrument = getInstrument(instrumentId)
  if (!instrument) return { ok: false, errors: [{ code: 'unknown-instrument', instrumentId }] }
  const errors: ScoreError[] = []
  const normalised: Record<string, number> = {}
  const known = new Set(instrument.items.map((i) => i.id))
  for (const { id } of instrument.items) {
    const check = checkItemValue(
      id,
      Object.hasOwn(items, id) ? items[id] : undefined,
      instrument.min,
      instrument.max,
    )
    if (check.ok) normalised[id] = check.value
    else errors.push(check.error)
  }
  for (const id of Object.keys(items)) {
    if (!known.has(id)) errors.push({ code: 'unknown-item', itemId: id })
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, items: normalised, total: totalScore(normalised) }
}

/**
 * Why a form may not be kept as a synced (final) form, or null: final, every item valid and the
 * total the sum of the items. The server refuses a push with it and the app a pulled form, so
 * both give the same verdict. Names codes only, never a score.
 */
export function finalScoresProblem(form: {
  status: string
  instrumentId: string
  items: Readonly<Record<string, unknown>>
  total: number | null
}): string | null {
  if (form.status !== 'final') return 'only final administrations sync'
  const result = validateItems(form.instrumentId, form.items)
  if (!result.ok) {
    const codes = [...new Set(result.errors.map((e) => e.code))].join(', ')
    return `invalid items (${codes})`
  }
  const total = form.total
  if (typeof total !== 'number' || !Number.isFinite(total) || roundScore(total) !== result.total) {
    return 'total does not match the items'
  }
  return null
}

export type TypedScoreError =
  | { code: 'empty' }
  | { code: 'not-a-number'; text: string }
  | { code: 'out-of-range'; value: number; min: number; max: number }
  | { code: 'too-many-decimals'; value: number }

export type ParseTypedScoreResult =
  | { ok: true; value: number }
  | { ok: false; error: TypedScoreError }

const TYPED_SCORE = /^([+-]?)(\d+)(?:[.,](\d*))?$/

/**
 * Parse an item score typed from a paper form or read over the phone. Both "7,3" and "7.3" are
 * accepted in every locale: a score never reaches 1000, so a comma cannot be a thousands
 * separator. The locale is part of the signature so that a future locale with other digits or
 * separators can be handled without changing callers.
 */
export function parseTypedScore(text: string, _locale: Locale): ParseTypedScoreResult {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, error: { code: 'empty' } }
  const match = TYPED_SCORE.exec(trimmed)
  if (!match) return { ok: false, error: { code: 'not-a-number', text } }
  const [, sign = '', whole = '', fraction = ''] = match
  const value = Number(`${sign}${whole}.${fraction === '' ? '0' : fraction}`)
  if (value < ITEM_MIN || value > ITEM_MAX) {
    return { ok: false, error: { code: 'out-of-range', value, min: ITEM_MIN, max: ITEM_MAX } }
  }
  // "7,30" is still one decimal; "7,25" is not.
  if (/[1-9]/.test(fraction.slice(1)))
    return { ok: false, error: { code: 'too-many-decimals', value } }
  return { ok: true, value: roundScore(value) }
}
