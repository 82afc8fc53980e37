// Instrument text packs: an organisation's licensed wording and official translations, loaded by
// an administrator and synced to devices. Linja itself ships only structure and working labels.
import { getInstrument, isInstrumentId } from './instruments.ts'
import type { InstrumentId, Locale } from './types.ts'
import { LOCALES } from './types.ts'

export const TEXT_PACK_FORMAT = 'linja-text-pack'
export const TEXT_PACK_FORMAT_VERSION = 1
/** Longest accepted text. Licensed instructions run to a few hundred characters; far more is a broken file. */
export const MAX_TEXT_LENGTH = 2000

export interface TextPackLicence {
  /** The organisation holding the licence. */
  licensee: string
  /** The licence agreement's reference or number, shown in the admin screen and audit log. */
  reference: string
  /** Rights holder, e.g. the name on the agreement. Optional. */
  holder?: string
}

export interface TextPackEntry {
  instrumentId: InstrumentId
  /** BCP-47-ish language tag: 'nb', 'nn', 'en', 'se', 'ar', 'so', 'ti', 'uk', 'pl', 'pt-BR' ... */
  language: string
  title: string
  instructions: string
  /** Keyed by the instrument's item ids; every item exactly once. */
  items: Record<string, string>
  endLabels: { low: string; high: string }
}

export interface TextPack {
  format: typeof TEXT_PACK_FORMAT
  formatVersion: typeof TEXT_PACK_FORMAT_VERSION
  /** The pack's own version, chosen by whoever assembles it. */
  version: string
  licence: TextPackLicence
  /** One entry per instrument and language. A list rather than a map so a duplicate is visible, not silently overwritten. */
  entries: TextPackEntry[]
}

export const TEXT_PACK_ERROR_CODES = [
  'not-an-object',
  'wrong-format',
  'wrong-format-version',
  'missing-field',
  'wrong-type',
  'unknown-field',
  'empty-string',
  'too-long',
  'unknown-instrument',
  'invalid-language',
  'missing-item',
  'unknown-item',
  'duplicate-entry',
  'markup',
] as const
export type TextPackErrorCode = (typeof TEXT_PACK_ERROR_CODES)[number]

export interface TextPackError {
  /** Where in the file, e.g. 'entries[2].items["ors.overall"]'. */
  path: string
  code: TextPackErrorCode
  message: string
}

export type ValidateTextPackResult =
  | { ok: true; pack: TextPack }
  | { ok: false; errors: TextPackError[] }

// BCP-47 tags are case-insensitive, so "NB" is a (duplicate-prone) spelling of "nb".
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/

// A pack is plain text (docs/security.md): anything an HTML parser would read as a tag or a
// character reference is refused, so the wording is safe wherever it is shown, not only in React.
// '<' followed by a letter, '/', '!' or '?' starts a tag, closing tag, comment or declaration;
// a lone '<' ("a < b", "<3") does not and stays allowed, shown as it is.
const TAG_LIKE = /<[A-Za-z/!?]/
// Named (&lt;), decimal (&#60;) and hexadecimal (&#x3c;) references: wording never needs them,
// and shown as text they would read "&lt;" literally anyway. A lone '&' ("Du & jeg") is plain text.
const CHARACTER_REFERENCE = /&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);/

/** Why `text` is not plain text, or null when it is. */
function markupIn(text: string): string | null {
  const tag = TAG_LIKE.exec(text)
  if (tag) return `Markup is not allowed (found "${text.slice(tag.index, tag.index + 12)}")`
  const ref = CHARACTER_REFERENCE.exec(text)
  if (ref) return `HTML character references are not allowed (found "${ref[0].slice(0, 12)}")`
  return null
}

type Obj = Record<string, unknown>
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

class Checker {
  readonly errors: TextPackError[] = []
  add(path: string, code: TextPackErrorCode, message: string): void {
    this.errors.push({ path, code, message })
  }
  /** Reports unknown keys: a misspelt field would otherwise be dropped without a word. */
  fields(
    obj: Obj,
    path: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): void {
    for (const key of required)
      if (!(key in obj)) this.add(join(path, key), 'missing-field', `Missing field "${key}"`)
    for (const key of Object.keys(obj)) {
      if (!required.includes(key) && !optional.includes(key))
        this.add(join(path, key), 'unknown-field', `Unknown field "${key}"`)
    }
  }
  text(value: unknown, path: string): value is string {
    if (value === undefined) return false // reported as missing by fields()
    if (typeof value !== 'string') {
      this.add(path, 'wrong-type', 'Expected text')
      return false
    }
    if (value.trim() === '') {
      this.add(path, 'empty-string', 'Text is empty')
      return false
    }
    if (value.length > MAX_TEXT_LENGTH) {
      this.add(
        path,
        'too-long',
        `Text is ${value.length} characters; the limit is ${MAX_TEXT_LENGTH}`,
      )
      return false
    }
    const markup = markupIn(value)
    if (markup) {
      this.add(path, 'markup', `${markup}: a text pack holds plain text only`)
      return false
    }
    return true
  }
  object(value: unknown, path: string): value is Obj {
    if (value === undefined) return false
    if (!isObject(value)) {
      this.add(path, 'wrong-type', 'Expected an object')
      return false
    }
    return true
  }
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
  return path === '' ? part.replace(/^\./, '') : `${path}${part}`
}

function checkEntry(c: Checker, entry: unknown, path: string, seen: Map<string, string>): void {
  if (!c.object(entry, path)) return
  c.fields(entry, path, ['instrumentId', 'language', 'title', 'instructions', 'items', 'endLabels'])
  const { instrumentId, language } = entry
  c.text(entry.title, join(path, 'title'))
  c.text(entry.instructions, join(path, 'instructions'))
  if (c.object(entry.endLabels, join(path, 'endLabels'))) {
    const labels = entry.endLabels
    c.fields(labels, join(path, 'endLabels'), ['low', 'high'])
    c.text(labels.low, join(join(path, 'endLabels'), 'low'))
    c.text(labels.high, join(join(path, 'endLabels'), 'high'))
  }
  if (language !== undefined && (typeof language !== 'string' || !LANGUAGE_TAG.test(language))) {
    c.add(
      join(path, 'language'),
      'invalid-language',
      `Not a language tag: ${JSON.stringify(language)}`,
    )
  }
  const known = isInstrumentId(instrumentId)
  if (instrumentId !== undefined && !known) {
    c.add(
      join(path, 'instrumentId'),
      'unknown-instrument',
      `Unknown instrument: ${JSON.stringify(instrumentId)}`,
    )
  }
  if (known && typeof language === 'string') {
    const key = `${instrumentId}|${language.toLowerCase()}`
    const first = seen.get(key)
    if (first)
      c.add(
        path,
        'duplicate-entry',
        `${instrumentId} in "${language}" is already given at ${first}`,
      )
    else seen.set(key, path)
  }
  const itemsPath = join(path, 'items')
  if (!c.object(entry.items, itemsPath)) return
  const items = entry.items
  for (const [id, text] of Object.entries(items)) c.text(text, join(itemsPath, id))
  if (!known) return
  const expected = getInstrument(instrumentId).items.map((i) => i.id)
  for (const id of expected)
    if (!(id in items)) c.add(join(itemsPath, id), 'missing-item', `No text for item ${id}`)
  for (const id of Object.keys(items)) {
    if (!expected.includes(id))
      c.add(join(itemsPath, id), 'unknown-item', `${instrumentId} has no item ${id}`)
  }
}

export function validateTextPack(input: unknown): ValidateTextPackResult {
  const c = new Checker()
  if (!isObject(input))
    return {
      ok: false,
      errors: [{ path: '', code: 'not-an-object', message: 'A text pack is a JSON object' }],
    }
  if (input.format !== TEXT_PACK_FORMAT) {
    return {
      ok: false,
      errors: [{ path: 'format', code: 'wrong-format', message: `Not a ${TEXT_PACK_FORMAT} file` }],
    }
  }
  // A newer format may mean anything; checking its fields against version 1 would only mislead.
  if (input.formatVersion !== TEXT_PACK_FORMAT_VERSION) {
    const message = `Format version ${JSON.stringify(input.formatVersion)} is not supported (expected ${TEXT_PACK_FORMAT_VERSION})`
    return { ok: false, errors: [{ path: 'formatVersion', code: 'wrong-format-version', message }] }
  }
  c.fields(input, '', ['format', 'formatVersion', 'version', 'licence', 'entries'])
  c.text(input.version, 'version')
  if (c.object(input.licence, 'licence')) {
    const licence = input.licence
    c.fields(licence, 'licence', ['licensee', 'reference'], ['holder'])
    c.text(licence.licensee, 'licence.licensee')
    c.text(licence.reference, 'licence.reference')
    if (licence.holder !== undefined) c.text(licence.holder, 'licence.holder')
  }
  const entries = input.entries
  if (entries !== undefined && !Array.isArray(entries))
    c.add('entries', 'wrong-type', 'Expected a list')
  if (Array.isArray(entries)) {
    const seen = new Map<string, string>()
    for (const [i, entry] of entries.entries()) checkEntry(c, entry, `entries[${i}]`, seen)
  }
  if (c.errors.length > 0) return { ok: false, errors: c.errors }
  // Every field was checked above, so the input has the TextPack shape.
  return { ok: true, pack: input as unknown as TextPack }
}

export interface ResolvedTexts {
  /** false: Linja's own working labels, to be marked as such on screen. */
  licensed: boolean
  language: string
  title: string
  /** null with working labels: Linja ships no instructions. */
  instructions: string | null
  items: Record<string, string>
  endLabels: { low: string; high: string }
  licensee?: string
  packVersion?: string
}

const primary = (tag: string): string => tag.toLowerCase().split('-')[0] ?? ''

// Languages written right to left among those a pack may carry (Arabic, Persian/Dari, Pashto,
// Urdu, Hebrew, Sorani Kurdish, Dhivehi, Yiddish, Uyghur).
const RTL = new Set(['ar', 'fa', 'prs', 'ps', 'ur', 'he', 'ckb', 'dv', 'yi', 'ug'])

/** The writing direction of a language tag: 'rtl' for Arabic script and Hebrew, else 'ltr'. */
export function textDirection(tag: string): 'ltr' | 'rtl' {
  return RTL.has(primary(tag)) || /-arab\b/i.test(tag) ? 'rtl' : 'ltr'
}

/** Languages other than Linja's own (nb, nn, en) that a pack gives wording for, for one form. */
export function extraPackLanguages(
  pack: TextPack | null | undefined,
  instrumentId: InstrumentId,
): string[] {
  const own = new Set<string>(LOCALES)
  const tags = (pack?.entries ?? [])
    .filter((e) => e.instrumentId === instrumentId && !own.has(primary(e.language)))
    .map((e) => e.language)
  return [...new Set(tags)].sort()
}

/**
 * Texts to show for a form: the pack's licensed wording for the language when present (exact
 * tag first, then same primary language, so 'nb-NO' finds 'nb'); otherwise Linja's working
 * labels in the language, or in `fallback` when Linja has no labels in that language.
 */
export function resolveTexts(
  instrumentId: InstrumentId,
  language: string,
  pack?: TextPack | null,
  fallback: Locale = 'nb',
): ResolvedTexts {
  const entries = pack?.entries.filter((e) => e.instrumentId === instrumentId) ?? []
  const entry =
    entries.find((e) => e.language.toLowerCase() === language.toLowerCase()) ??
    entries.find((e) => primary(e.language) === primary(language))
  if (pack && entry) {
    return {
      licensed: true,
      language: entry.language,
      title: entry.title,
      instructions: entry.instructions,
      items: { ...entry.items },
      endLabels: { ...entry.endLabels },
      licensee: pack.licence.licensee,
      packVersion: pack.version,
    }
  }
  const instrument = getInstrument(instrumentId)
  const wanted = primary(language)
  const locale: Locale = (LOCALES as readonly string[]).includes(wanted)
    ? (wanted as Locale)
    : fallback
  return {
    licensed: false,
    language: locale,
    title: instrument.title[locale],
    instructions: null,
    items: Object.fromEntries(instrument.items.map((i) => [i.id, i.label[locale]])),
    endLabels: { low: instrument.endLabels.low[locale], high: instrument.endLabels.high[locale] },
  }
}
