import { describe, expect, it } from 'vitest'
import {
  extraPackLanguages,
  MAX_TEXT_LENGTH,
  resolveTexts,
  type TextPack,
  textDirection,
  validateTextPack,
} from '../../src/core/index.ts'

// Placeholder wording: tests must not contain licensed text.
const orsEntry = (
  language: string,
): { items: Record<string, string>; [field: string]: unknown } => ({
  instrumentId: 'ORS',
  language,
  title: `Title ${language}`,
  instructions: `Instructions ${language}`,
  items: {
    'ors.individually': `A ${language}`,
    'ors.interpersonally': `B ${language}`,
    'ors.socially': `C ${language}`,
    'ors.overall': `D ${language}`,
  },
  endLabels: { low: `low ${language}`, high: `high ${language}` },
})

const validPack = () => ({
  format: 'linja-text-pack',
  formatVersion: 1,
  version: '2025.1',
  licence: { licensee: 'Eksempel kommune', reference: 'LIC-0001' },
  entries: [orsEntry('nb'), orsEntry('so'), orsEntry('pt-BR')],
})

function errorsOf(input: unknown) {
  const result = validateTextPack(input)
  if (result.ok) throw new Error('expected the pack to be rejected')
  return result.errors.map((e) => ({ path: e.path, code: e.code }))
}

describe('validateTextPack', () => {
  it('accepts a well-formed pack in any language tag', () => {
    const result = validateTextPack(validPack())
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.pack.entries).toHaveLength(3)
  })

  it('accepts an optional rights holder', () => {
    const pack = validPack()
    expect(
      validateTextPack({ ...pack, licence: { ...pack.licence, holder: 'Rights holder' } }).ok,
    ).toBe(true)
  })

  it('rejects things that are not packs at all', () => {
    expect(errorsOf(null)).toEqual([{ path: '', code: 'not-an-object' }])
    expect(errorsOf([validPack()])).toEqual([{ path: '', code: 'not-an-object' }])
    expect(errorsOf({ ...validPack(), format: 'other' })).toEqual([
      { path: 'format', code: 'wrong-format' },
    ])
  })

  it('rejects an unsupported format version before looking further', () => {
    expect(errorsOf({ ...validPack(), formatVersion: 2, entries: 'garbage' })).toEqual([
      { path: 'formatVersion', code: 'wrong-format-version' },
    ])
    expect(errorsOf({ ...validPack(), formatVersion: '1' })).toEqual([
      { path: 'formatVersion', code: 'wrong-format-version' },
    ])
  })

  it('reports missing, unknown and mistyped fields with their paths', () => {
    const { licence: _licence, ...noLicence } = validPack()
    expect(errorsOf(noLicence)).toEqual([{ path: 'licence', code: 'missing-field' }])
    expect(
      errorsOf({ ...validPack(), licence: { licensee: 'X', reference: 'Y', licenceKey: 'Z' } }),
    ).toEqual([{ path: 'licence.licenceKey', code: 'unknown-field' }])
    expect(errorsOf({ ...validPack(), entries: {} })).toEqual([
      { path: 'entries', code: 'wrong-type' },
    ])
    expect(errorsOf({ ...validPack(), version: 3 })).toEqual([
      { path: 'version', code: 'wrong-type' },
    ])
  })

  it('rejects empty and absurdly long texts', () => {
    const pack = validPack()
    pack.entries[0] = { ...orsEntry('nb'), title: '   ' }
    pack.entries[1] = { ...orsEntry('so'), instructions: 'x'.repeat(MAX_TEXT_LENGTH + 1) }
    expect(errorsOf(pack)).toEqual([
      { path: 'entries[0].title', code: 'empty-string' },
      { path: 'entries[1].instructions', code: 'too-long' },
    ])
    const ok = validPack()
    ok.entries[0] = { ...orsEntry('nb'), instructions: 'x'.repeat(MAX_TEXT_LENGTH) }
    expect(validateTextPack(ok).ok).toBe(true)
  })

  it('rejects an unknown instrument and a bad language tag', () => {
    const pack = validPack()
    pack.entries.push({ ...orsEntry('nb'), instrumentId: 'PHQ9' })
    pack.entries.push({ ...orsEntry('Norsk bokmål'), language: 'Norsk bokmål' })
    expect(errorsOf(pack)).toEqual([
      { path: 'entries[3].instrumentId', code: 'unknown-instrument' },
      { path: 'entries[4].language', code: 'invalid-language' },
    ])
  })

  it('rejects item ids that do not match the instrument: missing and extra', () => {
    const pack = validPack()
    const { 'ors.overall': _dropped, ...three } = orsEntry('nb').items
    pack.entries[0] = { ...orsEntry('nb'), items: { ...three, 'srs.goals': 'Mål' } }
    expect(errorsOf(pack)).toEqual([
      { path: 'entries[0].items["ors.overall"]', code: 'missing-item' },
      { path: 'entries[0].items["srs.goals"]', code: 'unknown-item' },
    ])
  })

  it('rejects a second entry for the same instrument and language, ignoring case', () => {
    const pack = validPack()
    pack.entries.push(orsEntry('NB'))
    expect(errorsOf(pack)).toEqual([{ path: 'entries[3]', code: 'duplicate-entry' }])
    const other = validPack()
    other.entries.push({
      ...orsEntry('nb'),
      instrumentId: 'SRS',
      items: {
        'srs.relationship': 'a',
        'srs.goals': 'b',
        'srs.approach': 'c',
        'srs.overall': 'd',
      },
    })
    expect(validateTextPack(other).ok).toBe(true)
  })

  it('refuses markup and character references in every text, naming where and why', () => {
    const nb = orsEntry('nb')
    const pack = {
      ...validPack(),
      version: '<b>1</b>',
      licence: { licensee: 'Kommune &lt;script&gt;', reference: 'LIC &#60;1' },
      entries: [
        {
          ...nb,
          title: '<script>alert(1)</script>',
          instructions: 'Se <img src=x onerror=alert(1)>',
          items: { ...nb.items, 'ors.overall': 'D &#x3C;svg onload=x&#x3E;' },
          endLabels: { low: '<!-- x -->', high: 'high </p>' },
        },
      ],
    }
    expect(errorsOf(pack)).toEqual([
      { path: 'version', code: 'markup' },
      { path: 'licence.licensee', code: 'markup' },
      { path: 'licence.reference', code: 'markup' },
      { path: 'entries[0].title', code: 'markup' },
      { path: 'entries[0].instructions', code: 'markup' },
      { path: 'entries[0].endLabels.low', code: 'markup' },
      { path: 'entries[0].endLabels.high', code: 'markup' },
      { path: 'entries[0].items["ors.overall"]', code: 'markup' },
    ])
    const result = validateTextPack(pack)
    if (!result.ok) expect(result.errors[3]?.message).toMatch(/markup.*<script>/i)
  })

  it('keeps plain text with a lone "<", ">" or "&" (shown as it is, not as markup)', () => {
    const nb = orsEntry('nb')
    const pack = {
      ...validPack(),
      entries: [
        { ...nb, title: 'Score < 25 & > 10', instructions: 'a <3 b, <= 5, < b, & co; AT&T' },
      ],
    }
    expect(validateTextPack(pack).ok).toBe(true)
  })

  it('gives every error a readable message', () => {
    const result = validateTextPack({ ...validPack(), version: '' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/empty/i)
  })
})

describe('resolveTexts', () => {
  const pack = (() => {
    const result = validateTextPack(validPack())
    if (!result.ok) throw new Error('fixture')
    return result.pack
  })()

  it('uses the licensed wording when the pack has the language', () => {
    const texts = resolveTexts('ORS', 'so', pack)
    expect(texts).toMatchObject({
      licensed: true,
      language: 'so',
      title: 'Title so',
      licensee: 'Eksempel kommune',
      packVersion: '2025.1',
    })
    expect(texts.items['ors.overall']).toBe('D so')
  })

  it('matches a regional tag to the primary language and vice versa', () => {
    expect(resolveTexts('ORS', 'nb-NO', pack)).toMatchObject({ licensed: true, language: 'nb' })
    expect(resolveTexts('ORS', 'pt', pack)).toMatchObject({ licensed: true, language: 'pt-BR' })
  })

  it('falls back to working labels, flagged unlicensed, when the pack lacks the language or form', () => {
    const nn = resolveTexts('ORS', 'nn', pack)
    expect(nn).toMatchObject({ licensed: false, language: 'nn', instructions: null, title: 'ORS' })
    expect(nn.items['ors.interpersonally']).toBe('Nære relasjonar')
    expect(resolveTexts('SRS', 'nb', pack)).toMatchObject({ licensed: false, language: 'nb' })
    expect(resolveTexts('ORS', 'en')).toMatchObject({
      licensed: false,
      language: 'en',
      endLabels: { low: 'Badly', high: 'Well' },
    })
  })

  it('shows working labels in the fallback locale for a language Linja has no labels in', () => {
    expect(resolveTexts('CORS', 'ti', null)).toMatchObject({ licensed: false, language: 'nb' })
    expect(resolveTexts('CORS', 'ti', null, 'en').items['cors.school']).toBe('School')
  })

  it('returns copies, so a caller cannot change the pack through them', () => {
    const texts = resolveTexts('ORS', 'nb', pack)
    texts.items['ors.overall'] = 'changed'
    expect(resolveTexts('ORS', 'nb', pack as TextPack).items['ors.overall']).toBe('D nb')
  })
})

describe('languages a pack adds to client mode', () => {
  it('lists the languages beyond nb, nn and en for the chosen form only, once each', () => {
    const checked = validateTextPack({
      ...validPack(),
      entries: [
        orsEntry('nb'),
        orsEntry('so'),
        orsEntry('pt-BR'),
        orsEntry('ar'),
        orsEntry('nb-NO'),
      ],
    })
    if (!checked.ok) throw new Error('fixture')
    expect(extraPackLanguages(checked.pack, 'ORS')).toEqual(['ar', 'pt-BR', 'so'])
    expect(extraPackLanguages(checked.pack, 'SRS')).toEqual([])
    expect(extraPackLanguages(null, 'ORS')).toEqual([])
  })

  it('knows which languages are written right to left', () => {
    for (const tag of ['ar', 'fa', 'prs', 'ps', 'ur', 'he', 'ckb', 'ku-Arab', 'ar-SY'])
      expect(textDirection(tag), tag).toBe('rtl')
    for (const tag of ['nb', 'so', 'ti', 'uk', 'pl', 'pt-BR', 'kmr', 'en'])
      expect(textDirection(tag), tag).toBe('ltr')
  })
})
