// CSV export of administrations, one row per form, for spreadsheets and patient record systems.
//
// Format (documented here and in CSV_COLUMNS, so a receiving system can map it):
// - Headers are stable English snake_case keys whatever the UI language; coded values (rater,
//   ending, age group, instrument) are Linja's stable English codes, never translated text.
// - Separator: ';' by default for nb/nn (Norwegian Excel reads ';' because ',' is the decimal
//   sign), ',' for en. Scores use a decimal COMMA only when the locale is nb/nn AND the
//   separator is ';'; with ',' as separator a decimal comma would split the field, so the point
//   is kept. Scores always carry one decimal ("7,0"), because a score is never an integer scale.
// - RFC 4180: records end in CRLF (the last one too); a field containing the separator, a
//   double quote, CR or LF is enclosed in double quotes with inner quotes doubled.
// - Formula-injection guard (OWASP "CSV injection"): a cell starting with = + - @ TAB or CR
//   gets a leading single quote before quoting. Scores are 0.0–40.0, so a number is never
//   negative and never altered by the guard; only free text (codes, void reasons) can be.
// - `bom: true` puts a UTF-8 byte-order mark first; Excel needs it to read æ, ø, å correctly.
// - Drafts are unfinished and are left out. Voided and superseded versions are exported, so the
//   correction chain (version_of, supersedes, superseded_by) stays complete.
import { csvText } from './csv-cell.ts'
import { getInstrument } from './instruments.ts'
import type { AdministrationRecord, AgeGroup, Ending, Locale } from './types.ts'

/** An administration with what an export needs about its client and episode. */
export interface ExportRow extends AdministrationRecord {
  /** Version of the instrument definition the form was marked on. */
  instrumentVersion: string
  /** How the answers reached Linja: the storage layer's codes ('tablet', 'paper', 'phone', 'remote'). */
  collectedBy: string
  /** Id of the first version of a correction chain; null on a first version. */
  versionOf: string | null
  /** Id of the version this one corrects; null when it is not a correction. */
  supersedes: string | null
  voidReason?: string | null
  client: { code: string; birthYear: number | null; ageGroup: AgeGroup }
  episode: { id: string; startedAt: string; endedAt: string | null; ending: Ending | null }
}

export interface CsvOptions {
  locale: Locale
  separator?: ';' | ','
  /** Prefix a UTF-8 byte-order mark (for Excel). Default false. */
  bom?: boolean
}

/** Most items on any form; every row has this many item column pairs, unused ones empty. */
export const CSV_MAX_ITEMS = 4

export interface CsvColumn {
  key: string
  header: string
  description: string
}

const column = (key: string, description: string): CsvColumn => ({ key, header: key, description })

const itemColumns: CsvColumn[] = Array.from({ length: CSV_MAX_ITEMS }, (_, i) => [
  column(
    `item_${i + 1}_id`,
    `Stable id of the form's item number ${i + 1} in the instrument's order (e.g. ors.individually); empty when the form has fewer items.`,
  ),
  column(
    `item_${i + 1}_score`,
    `Score of item ${i + 1}: 0.0–10.0, one decimal (cm from the left end of the 10 cm line); empty when the form has fewer items.`,
  ),
]).flat()

/**
 * The columns, in file order. Items are positional (item_1..item_4, each an id and a score
 * column) rather than one column per item id: the file has the same width whatever mix of forms
 * it holds, and the id column says which item a score belongs to.
 */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  column('client_code', 'Pseudonymous client code chosen by the practitioner; no name is stored.'),
  column('birth_year', 'Client birth year (four digits); empty if not recorded.'),
  column('age_group', 'Age group code: young (under 6), child (6–12), adolescent (13–17), adult.'),
  column('episode_id', 'Id of the episode (course of help) the form belongs to.'),
  column('episode_start', 'Episode start date, YYYY-MM-DD.'),
  column('episode_end', 'Episode end date, YYYY-MM-DD; empty while the episode is open.'),
  column('ending', 'How the episode ended: planned, unplanned, referred, other; empty if open.'),
  column('administration_id', 'Id of this version of the form (UUID).'),
  column('version_of', 'Id of the first version of a corrected form; empty on a first version.'),
  column('supersedes', 'Id of the version this correction replaces; empty if not a correction.'),
  column('superseded_by', 'Id of the correction that replaced this version; empty if current.'),
  column('instrument', 'Form: ORS, SRS, CORS, CSRS, YCORS, YCSRS or GSRS.'),
  column('instrument_version', "Version of Linja's definition of the form it was marked on."),
  column('session', 'Meeting number within the episode, starting at 1.'),
  column('marked_at', 'When the form was marked: ISO 8601 date-time in UTC, ending in Z.'),
  column('rater', 'Who marked the form: client, parent, teacher or other (collateral rater).'),
  column(
    'collected_by',
    'How the answers were collected: tablet, paper, phone, or remote (the client marked it on their own device through a link).',
  ),
  column('status', 'final, or voided (entered in error; keep out of every analysis).'),
  column('void_reason', 'Reason given when the form was voided; empty otherwise.'),
  ...itemColumns,
  column('total', 'Sum of the item scores, 0.0–40.0, one decimal.'),
  column(
    'scored',
    'true for forms with a validated 0–40 score; false for YCORS/YCSRS, which must be kept out of statistics.',
  ),
]

function utcDateTime(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO date-time: ${iso}`)
  return new Date(ms).toISOString()
}

const dateOnly = (iso: string | null): string => (iso ? iso.slice(0, 10) : '')

function formatScore(value: number, decimalComma: boolean): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Not a score: ${value}`)
  const text = value.toFixed(1)
  return decimalComma ? text.replace('.', ',') : text
}

function recordFields(row: ExportRow, decimalComma: boolean): string[] {
  const instrument = getInstrument(row.instrumentId)
  const items: string[] = []
  for (let i = 0; i < CSV_MAX_ITEMS; i++) {
    const item = instrument.items[i]
    if (!item) {
      items.push('', '')
      continue
    }
    const score = row.items[item.id]
    if (score === undefined) throw new RangeError(`${row.id}: no score for item ${item.id}`)
    items.push(item.id, formatScore(score, decimalComma))
  }
  return [
    row.client.code,
    row.client.birthYear === null ? '' : String(row.client.birthYear),
    row.client.ageGroup,
    row.episode.id,
    dateOnly(row.episode.startedAt),
    dateOnly(row.episode.endedAt),
    row.episode.ending ?? '',
    row.id,
    row.versionOf ?? '',
    row.supersedes ?? '',
    row.supersededBy ?? '',
    row.instrumentId,
    row.instrumentVersion,
    String(row.session),
    utcDateTime(row.markedAt),
    row.rater,
    row.collectedBy,
    row.voided === true ? 'voided' : 'final',
    row.voided === true ? (row.voidReason ?? '') : '',
    ...items,
    formatScore(row.total, decimalComma),
    String(instrument.scored),
  ]
}

export function administrationsToCsv(rows: readonly ExportRow[], options: CsvOptions): string {
  const norwegian = options.locale === 'nb' || options.locale === 'nn'
  const separator = options.separator ?? (norwegian ? ';' : ',')
  const decimalComma = norwegian && separator === ';'
  const line = (fields: readonly string[]) =>
    `${fields.map((f) => csvText(f, separator)).join(separator)}\r\n`
  let out = options.bom ? '\uFEFF' : ''
  out += line(CSV_COLUMNS.map((c) => c.header))
  for (const row of rows) {
    if (row.status === 'draft') continue
    out += line(recordFields(row, decimalComma))
  }
  return out
}
