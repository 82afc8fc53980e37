// Input checks shared by the storage repositories; the scoring rules themselves come from src/core.
import {
  checkItemValue,
  getInstrument,
  type Instrument,
  isInstrumentId,
  LOCALES,
  type Locale,
  type Rater,
  validateItems,
} from '../core/index.ts'
import { StorageError } from './errors.ts'
import { COLLECTED_BY, type CollectedBy } from './records.ts'

/** A valid ISO date-time normalised to UTC (`...Z`), so that stored times sort as strings. */
export function isoOrThrow(value: string, field: string): string {
  const ms =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(ms)) {
    throw new StorageError('invalid-argument', `${field} is not an ISO date-time: ${String(value)}`)
  }
  return new Date(ms).toISOString()
}

export function instrumentOrThrow(instrumentId: string): Instrument {
  if (!isInstrumentId(instrumentId)) {
    throw new StorageError('unknown-instrument', `Unknown instrument: ${String(instrumentId)}`)
  }
  return getInstrument(instrumentId)
}

export function checkFormContext(
  instrument: Instrument,
  input: { rater: Rater; collectedBy: CollectedBy; locale: Locale },
): void {
  if (!instrument.raters.includes(input.rater)) {
    throw new StorageError(
      'invalid-rater',
      `${instrument.id} is not rated by “${String(input.rater)}”.`,
    )
  }
  if (!(COLLECTED_BY as readonly string[]).includes(input.collectedBy)) {
    throw new StorageError(
      'invalid-argument',
      `Unknown way of collecting: ${String(input.collectedBy)}`,
    )
  }
  if (!(LOCALES as readonly string[]).includes(input.locale)) {
    throw new StorageError('invalid-argument', `Unknown locale: ${String(input.locale)}`)
  }
}

export function checkSession(session: number | undefined): void {
  if (session !== undefined && !(Number.isInteger(session) && session >= 1)) {
    throw new StorageError(
      'invalid-argument',
      `A session number is a whole number from 1: ${session}`,
    )
  }
}

/** One mark: an item of this instrument and null (unmarked) or a 0–10 score in tenths. */
export function checkMark(
  instrument: Instrument,
  itemId: string,
  score: number | null,
): number | null {
  if (!instrument.items.some((i) => i.id === itemId)) {
    throw new StorageError('unknown-item', `${instrument.id} has no item “${itemId}”.`, {
      scoreErrors: [{ code: 'unknown-item', itemId }],
    })
  }
  if (score === null) return null
  // The core's rule for one item, the same one validateItems applies to a whole form.
  const check = checkItemValue(itemId, score, instrument.min, instrument.max)
  if (check.ok) return check.value
  const error = check.error
  const message =
    error.code === 'out-of-range'
      ? `A score lies between ${error.min} and ${error.max}: ${score}`
      : error.code === 'too-many-decimals'
        ? `A score has at most one decimal: ${score}`
        : `Not a score: ${String(score)}`
  throw new StorageError('invalid-score', message, { scoreErrors: [error] })
}

/** The complete item set checked by the core; 'incomplete' when marks are missing, else 'invalid-items'. */
export function completeItemsOrThrow(
  instrument: Instrument,
  items: Readonly<Record<string, unknown>>,
): { items: Record<string, number>; total: number } {
  const result = validateItems(instrument.id, items)
  if (result.ok) return { items: result.items, total: result.total }
  const missing = result.errors.flatMap((e) => (e.code === 'missing-item' ? [e.itemId] : []))
  if (missing.length === result.errors.length) {
    throw new StorageError('incomplete', `Not yet marked: ${missing.join(', ')}`, {
      missingItems: missing,
      scoreErrors: result.errors,
    })
  }
  throw new StorageError('invalid-items', 'Some scores are not valid.', {
    missingItems: missing,
    scoreErrors: result.errors,
  })
}

export function reasonOrThrow(reason: string, what: string): string {
  const trimmed = typeof reason === 'string' ? reason.trim() : ''
  if (trimmed === '') throw new StorageError('reason-required', `A ${what} needs a reason.`)
  return trimmed
}
