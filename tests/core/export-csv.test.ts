import { describe, expect, it } from 'vitest'
import { administrationsToCsv, CSV_COLUMNS, type ExportRow } from '../../src/core/export-csv.ts'
import type { AdministrationRecord } from '../../src/core/index.ts'
import { adm } from './builders.ts'

/**
 * An RFC 4180 reader written for the test, independent of the exporter: a state machine over
 * characters, records end in CRLF, quoted fields may hold the separator, quotes ("") and newlines.
 */
function parseCsv(text: string, separator: string): string[][] {
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i += 2
      } else if (ch === '"') {
        quoted = false
        i++
      } else {
        field += ch
        i++
      }
    } else if (ch === '"') {
      if (field !== '') throw new Error(`Quote inside an unquoted field at ${i}`)
      quoted = true
      i++
    } else if (ch === separator) {
      record.push(field)
      field = ''
      i++
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i += 2
    } else if (ch === '\r' || ch === '\n') {
      throw new Error(`Bare line break outside quotes at ${i}`)
    } else {
      field += ch
      i++
    }
  }
  if (quoted) throw new Error('Unterminated quoted field')
  if (field !== '' || record.length > 0) throw new Error('Last record does not end in CRLF')
  return records
}

/** Records as objects keyed by header, checking every record has exactly the header's width. */
function parseTable(text: string, separator: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text, separator)
  if (!header) throw new Error('No header')
  return rows.map((r) => {
    expect(r).toHaveLength(header.length)
    return Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))
  })
}

function row(a: AdministrationRecord, extra: Partial<ExportRow> = {}): ExportRow {
  return {
    ...a,
    instrumentVersion: '1',
    collectedBy: 'tablet',
    versionOf: null,
    supersedes: null,
    client: { code: 'ÅSE-07', birthYear: 1990, ageGroup: 'adult' },
    episode: { id: 'ep-1', startedAt: '2024-01-01', endedAt: null, ending: null },
    ...extra,
  }
}

const ors = row(
  adm('ORS', {
    id: 'adm-ors',
    session: 1,
    items: {
      'ors.individually': 4.2,
      'ors.interpersonally': 10,
      'ors.socially': 0,
      'ors.overall': 3.7,
    },
    markedAt: '2024-03-05T11:15:30+01:00',
  }),
)
const srs = row(
  adm('SRS', {
    id: 'adm-srs',
    session: 1,
    items: { 'srs.relationship': 9.9, 'srs.goals': 8.1, 'srs.approach': 7, 'srs.overall': 9.5 },
    markedAt: '2024-03-05T11:55:00Z',
  }),
)
const ycors = row(
  adm('YCORS', { id: 'adm-yc', session: 2, items: { 'ycors.overall': 6.5 }, rater: 'parent' }),
  {
    client: { code: 'B2', birthYear: 2021, ageGroup: 'young' },
    episode: {
      id: 'ep-2',
      startedAt: '2024-02-01T09:00:00Z',
      endedAt: '2024-06-30',
      ending: 'planned',
    },
  },
)

describe('CSV_COLUMNS', () => {
  it('documents every column with a stable snake_case header, in file order', () => {
    const headers = CSV_COLUMNS.map((c) => c.header)
    for (const c of CSV_COLUMNS) {
      expect(c.header).toMatch(/^[a-z][a-z0-9_]*$/)
      expect(c.key).toBe(c.header)
      expect(c.description.length).toBeGreaterThan(10)
    }
    expect(new Set(headers).size).toBe(headers.length)
    expect(headers.slice(0, 3)).toEqual(['client_code', 'birth_year', 'age_group'])
    expect(headers).toContain('item_4_score')
    expect(headers.slice(-2)).toEqual(['total', 'scored'])
    const csv = administrationsToCsv([], { locale: 'en' })
    expect(csv).toBe(`${headers.join(',')}\r\n`)
  })
})

describe('administrationsToCsv: Norwegian defaults', () => {
  const csv = administrationsToCsv([ors, srs, ycors], { locale: 'nb' })
  const table = parseTable(csv, ';')

  it("uses ';' and a decimal comma, with every score read back exactly", () => {
    expect(csv.split('\r\n')[0]).toContain('client_code;birth_year;')
    expect(table).toHaveLength(3)
    const [o, s, y] = table
    expect(o).toMatchObject({
      client_code: 'ÅSE-07',
      birth_year: '1990',
      age_group: 'adult',
      instrument: 'ORS',
      instrument_version: '1',
      item_1_id: 'ors.individually',
      item_1_score: '4,2',
      item_2_id: 'ors.interpersonally',
      item_2_score: '10,0',
      item_3_id: 'ors.socially',
      item_3_score: '0,0',
      item_4_id: 'ors.overall',
      item_4_score: '3,7',
      total: '17,9',
      scored: 'true',
      status: 'final',
      rater: 'client',
      collected_by: 'tablet',
    })
    expect(s).toMatchObject({
      item_1_score: '9,9',
      item_2_score: '8,1',
      item_3_score: '7,0',
      item_4_score: '9,5',
      total: '34,5',
    })
    expect(y).toMatchObject({
      instrument: 'YCORS',
      item_1_id: 'ycors.overall',
      item_1_score: '6,5',
      item_2_id: '',
      item_2_score: '',
      item_4_score: '',
      total: '6,5',
      scored: 'false',
      rater: 'parent',
    })
  })

  it('writes marked_at in UTC with Z and episode dates as YYYY-MM-DD', () => {
    expect(table[0]?.marked_at).toBe('2024-03-05T10:15:30.000Z')
    expect(table[1]?.marked_at).toBe('2024-03-05T11:55:00.000Z')
    expect(table[2]).toMatchObject({
      episode_id: 'ep-2',
      episode_start: '2024-02-01',
      episode_end: '2024-06-30',
      ending: 'planned',
    })
    expect(table[0]).toMatchObject({ episode_end: '', ending: '' })
  })

  it('ends every record in CRLF and has no BOM unless asked', () => {
    expect(csv.charCodeAt(0)).not.toBe(0xfeff)
    expect(csv.endsWith('\r\n')).toBe(true)
    expect(csv.replaceAll('\r\n', '').includes('\n')).toBe(false)
  })

  it('nn behaves like nb', () => {
    expect(administrationsToCsv([ors], { locale: 'nn' })).toBe(
      administrationsToCsv([ors], { locale: 'nb' }),
    )
  })
})

describe('administrationsToCsv: separators and decimal sign', () => {
  it("uses ',' and a decimal point for en", () => {
    const t = parseTable(administrationsToCsv([ors], { locale: 'en' }), ',')
    expect(t[0]).toMatchObject({ item_1_score: '4.2', item_2_score: '10.0', total: '17.9' })
  })

  it("keeps the decimal point for nb when the separator is ','", () => {
    const csv = administrationsToCsv([ors], { locale: 'nb', separator: ',' })
    const t = parseTable(csv, ',')
    expect(t[0]).toMatchObject({ item_1_score: '4.2', total: '17.9' })
    expect(csv).not.toContain('"4')
  })

  it("keeps the decimal point for en with ';'", () => {
    const t = parseTable(administrationsToCsv([ors], { locale: 'en', separator: ';' }), ';')
    expect(t[0]?.total).toBe('17.9')
  })

  it('prefixes a UTF-8 BOM on request, and the rest is unchanged', () => {
    const plain = administrationsToCsv([ors], { locale: 'nb' })
    const withBom = administrationsToCsv([ors], { locale: 'nb', bom: true })
    expect(withBom.charCodeAt(0)).toBe(0xfeff)
    expect(withBom.slice(1)).toBe(plain)
    const bytes = new TextEncoder().encode(withBom)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  })
})

describe('administrationsToCsv: quoting and formula injection', () => {
  const voided = row(adm('ORS', { id: 'adm-void', session: 2, total: 20, voided: true }), {
    voidReason: 'Wrong client; said "oops",\r\nfixed later',
  })

  it('quotes separators, quotes and line breaks and reads them back intact', () => {
    for (const separator of [';', ','] as const) {
      const csv = administrationsToCsv([voided], { locale: 'nb', separator })
      expect(csv).toContain('"Wrong client; said ""oops"",\r\nfixed later"')
      const t = parseTable(csv, separator)
      expect(t[0]).toMatchObject({
        status: 'voided',
        void_reason: 'Wrong client; said "oops",\r\nfixed later',
      })
    }
  })

  it('does not quote a decimal comma when the separator is ;', () => {
    const csv = administrationsToCsv([ors], { locale: 'nb' })
    expect(csv).toContain(';4,2;')
  })

  it('guards cells that a spreadsheet would run as a formula', () => {
    const rows = ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tx'].map((code, i) =>
      row(adm('ORS', { id: `f${i}`, session: 1, total: 20 }), {
        client: { code, birthYear: null, ageGroup: 'adult' },
      }),
    )
    const t = parseTable(administrationsToCsv(rows, { locale: 'en' }), ',')
    expect(t.map((r) => r.client_code)).toEqual([
      `'=HYPERLINK("http://x")`,
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
    ])
    expect(t[0]?.birth_year).toBe('')
    // Scores are never negative, so the guard never touches a number.
    expect(t.every((r) => r.total === '20.0')).toBe(true)
  })

  it('leaves void_reason empty on a final form', () => {
    const t = parseTable(administrationsToCsv([ors], { locale: 'en' }), ',')
    expect(t[0]?.void_reason).toBe('')
  })
})

describe('administrationsToCsv: corrections and drafts', () => {
  it('keeps the correction chain and leaves drafts out', () => {
    const old = row(adm('ORS', { id: 'v1', session: 1, total: 18, supersededBy: 'v2' }))
    const fixed = row(adm('ORS', { id: 'v2', session: 1, total: 19 }), {
      versionOf: 'v1',
      supersedes: 'v1',
      collectedBy: 'paper',
    })
    const draft = row(adm('ORS', { id: 'd', session: 2, total: 30, status: 'draft' }))
    const t = parseTable(administrationsToCsv([old, fixed, draft], { locale: 'en' }), ',')
    expect(t.map((r) => r.administration_id)).toEqual(['v1', 'v2'])
    expect(t[0]).toMatchObject({ superseded_by: 'v2', version_of: '', supersedes: '' })
    expect(t[1]).toMatchObject({
      superseded_by: '',
      version_of: 'v1',
      supersedes: 'v1',
      collected_by: 'paper',
      total: '19.0',
    })
  })

  it('refuses a form with a missing item score or a bad date', () => {
    const missing = row({ ...adm('ORS', { session: 1, total: 20 }), items: { 'ors.overall': 5 } })
    expect(() => administrationsToCsv([missing], { locale: 'en' })).toThrow(RangeError)
    const badDate = row(adm('ORS', { session: 1, total: 20, markedAt: 'yesterday' }))
    expect(() => administrationsToCsv([badDate], { locale: 'en' })).toThrow(RangeError)
  })
})
