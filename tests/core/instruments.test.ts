import { describe, expect, it } from 'vitest'
import {
  ageFromBirthYear,
  ageGroupForAge,
  formsForAge,
  getInstrument,
  INSTRUMENT_IDS,
  INSTRUMENTS,
  LOCALES,
} from '../../src/core/index.ts'

describe('instrument definitions', () => {
  it('defines every instrument under its own id with four items on a 0–10 line in tenths', () => {
    for (const id of INSTRUMENT_IDS) {
      const instrument = getInstrument(id)
      expect(instrument.id).toBe(id)
      expect([instrument.min, instrument.max, instrument.step]).toEqual([0, 10, 0.1])
      if (instrument.scored) expect(instrument.items).toHaveLength(4)
    }
  })

  it('uses stable, unique, prefixed item ids and has a working label in every locale', () => {
    const all = INSTRUMENT_IDS.flatMap((id) => INSTRUMENTS[id].items.map((i) => i.id))
    expect(new Set(all).size).toBe(all.length)
    for (const id of INSTRUMENT_IDS) {
      const instrument = INSTRUMENTS[id]
      expect(instrument.workingLabels).toBe(true)
      for (const item of instrument.items) {
        expect(item.id.startsWith(`${id.toLowerCase()}.`)).toBe(true)
        for (const locale of LOCALES) expect(item.label[locale].trim()).not.toBe('')
      }
      for (const locale of LOCALES) {
        expect(instrument.endLabels.low[locale]).not.toBe('')
        expect(instrument.endLabels.high[locale]).not.toBe('')
      }
    }
    expect(INSTRUMENTS.ORS.items.map((i) => i.id)).toEqual([
      'ors.individually',
      'ors.interpersonally',
      'ors.socially',
      'ors.overall',
    ])
  })

  it('keeps the young-child forms out of statistics and marks child forms as faces', () => {
    expect(INSTRUMENT_IDS.filter((id) => !INSTRUMENTS[id].scored)).toEqual(['YCORS', 'YCSRS'])
    expect(INSTRUMENT_IDS.filter((id) => INSTRUMENTS[id].faces)).toEqual([
      'CORS',
      'CSRS',
      'YCORS',
      'YCSRS',
    ])
    expect(INSTRUMENTS.YCORS.response).toBe('face-choice')
    expect(INSTRUMENTS.CORS.response).toBe('line')
    expect(INSTRUMENT_IDS.filter((id) => INSTRUMENTS[id].group)).toEqual(['GSRS'])
  })

  it('lets collateral raters mark outcome forms but only the client mark session forms', () => {
    expect(INSTRUMENTS.ORS.raters).toEqual(['client', 'parent', 'teacher', 'other'])
    expect(INSTRUMENTS.CORS.raters).toContain('parent')
    for (const id of ['SRS', 'CSRS', 'YCSRS', 'GSRS'] as const)
      expect(INSTRUMENTS[id].raters).toEqual(['client'])
  })

  it('gives kind, timing and age band per the reference table', () => {
    expect(INSTRUMENTS.ORS).toMatchObject({
      kind: 'outcome',
      timing: 'start',
      ageBand: { minAge: 13, maxAge: null },
    })
    expect(INSTRUMENTS.SRS).toMatchObject({ kind: 'session', timing: 'end' })
    expect(INSTRUMENTS.CORS.ageBand).toEqual({ minAge: 6, maxAge: 12 })
    expect(INSTRUMENTS.YCSRS.ageBand).toEqual({ minAge: 0, maxAge: 5 })
  })

  it('returns undefined for an unknown id given as a plain string', () => {
    expect(getInstrument('PHQ9')).toBeUndefined()
  })
})

describe('age groups', () => {
  it.each([
    [0, 'young'],
    [5, 'young'],
    [5.9, 'young'],
    [6, 'child'],
    [12, 'child'],
    [13, 'adolescent'],
    [17, 'adolescent'],
    [18, 'adult'],
    [90, 'adult'],
  ] as const)('age %s is %s', (age, group) => {
    expect(ageGroupForAge(age)).toBe(group)
  })

  it('rejects impossible ages', () => {
    expect(() => ageGroupForAge(-1)).toThrow(RangeError)
    expect(() => ageGroupForAge(Number.NaN)).toThrow(RangeError)
  })

  it('takes the age reached during the year from a birth year', () => {
    expect(ageFromBirthYear(2012, '2025-01-01')).toBe(13)
    expect(ageFromBirthYear(2012, '2025-12-31T23:00:00Z')).toBe(13)
    expect(ageFromBirthYear(2025, '2025-06-01')).toBe(0)
    expect(() => ageFromBirthYear(2026, '2025-06-01')).toThrow(RangeError)
    expect(() => ageFromBirthYear(2000, '1. mai 2025')).toThrow(RangeError)
  })

  it('chooses the forms for an age group', () => {
    expect(formsForAge('adult')).toEqual({ outcome: 'ORS', session: 'SRS' })
    expect(formsForAge('adolescent')).toEqual({ outcome: 'ORS', session: 'SRS' })
    expect(formsForAge('child')).toEqual({ outcome: 'CORS', session: 'CSRS' })
    expect(formsForAge('young')).toEqual({ outcome: 'YCORS', session: 'YCSRS' })
  })
})
