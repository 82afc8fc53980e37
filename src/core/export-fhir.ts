// FHIR R4 JSON export: a Questionnaire per form (structure and Linja's working labels only, never
// the licensed wording) and a QuestionnaireResponse per administration, gathered in a Bundle.
//
// Identifiers (stable strings, nothing is fetched from them):
// - Questionnaire canonical: `<canonicalBase>/Questionnaire/<instrument id in lower case>`,
//   default base https://linja.no/fhir; a response points at it as `<canonical>|<version>`.
// - The client is referenced by identifier only, system `urn:linja:client-code`, value = the
//   pseudonymous client code. A receiving organisation maps that system to its own patient ids.
// - Linja-specific facts ride in extensions under https://linja.no/fhir/StructureDefinition/
//   (episode, session, version-of, supersedes, superseded-by, void-reason) and in meta.tag
//   codes (collected-by, rater). QuestionnaireResponse has no "replaces" element, so the
//   correction chain is carried by the supersedes / superseded-by extensions.
// - The form's total is a read-only item `<instrument>.total` on scored forms only; the unscored
//   young-child forms (YCORS/YCSRS) carry their answers but no total.
import type { ExportRow } from './export-csv.ts'
import { getInstrument } from './instruments.ts'
import { INSTRUMENT_IDS, type InstrumentId, type Locale } from './types.ts'

export const DEFAULT_CANONICAL_BASE = 'https://linja.no/fhir'
export const CLIENT_CODE_SYSTEM = 'urn:linja:client-code'
export const LINJA_EXTENSION_BASE = 'https://linja.no/fhir/StructureDefinition'
export const LINJA_CODE_SYSTEM_BASE = 'https://linja.no/fhir/CodeSystem'
export const FHIR_MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue'
export const FHIR_MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue'
export const FHIR_MAX_DECIMAL_PLACES = 'http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces'

export interface FhirOptions {
  canonicalBase?: string
  /** Language of the working labels in item text; default 'nb'. */
  locale?: Locale
}

export interface FhirExtension {
  url: string
  valueDecimal?: number
  valueInteger?: number
  valuePositiveInt?: number
  valueId?: string
  valueString?: string
}
export interface FhirCoding {
  system: string
  code: string
}
export interface FhirReference {
  type?: string
  identifier?: { system: string; value: string }
  display?: string
}

export interface FhirQuestionnaireItem {
  linkId: string
  text: string
  type: 'decimal'
  required: boolean
  readOnly?: boolean
  extension: FhirExtension[]
}

export interface FhirQuestionnaire {
  resourceType: 'Questionnaire'
  id: string
  url: string
  version: string
  name: string
  title: string
  status: 'active'
  language: Locale
  publisher: string
  description: string
  subjectType: ['Patient']
  item: FhirQuestionnaireItem[]
}

export interface FhirResponseItem {
  linkId: string
  text: string
  answer: [{ valueDecimal: number }]
}

export interface FhirQuestionnaireResponse {
  resourceType: 'QuestionnaireResponse'
  id: string
  meta: { tag: FhirCoding[] }
  extension: FhirExtension[]
  identifier: { system: string; value: string }
  questionnaire: string
  status: 'completed' | 'entered-in-error'
  subject: FhirReference
  authored: string
  source: FhirReference
  item: FhirResponseItem[]
}

export interface FhirBundle {
  resourceType: 'Bundle'
  type: 'collection'
  entry: { fullUrl: string; resource: FhirQuestionnaire | FhirQuestionnaireResponse }[]
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const questionnaireId = (id: InstrumentId): string => id.toLowerCase()
const totalLinkId = (id: InstrumentId): string => `${questionnaireId(id)}.total`
const TOTAL_TEXT: Readonly<Record<Locale, string>> = { nb: 'Sum', nn: 'Sum', en: 'Total' }

export function questionnaireUrl(instrumentId: InstrumentId, canonicalBase?: string): string {
  return `${canonicalBase ?? DEFAULT_CANONICAL_BASE}/Questionnaire/${questionnaireId(instrumentId)}`
}

function decimalRange(min: number, max: number): FhirExtension[] {
  return [
    { url: FHIR_MIN_VALUE, valueDecimal: min },
    { url: FHIR_MAX_VALUE, valueDecimal: max },
    { url: FHIR_MAX_DECIMAL_PLACES, valueInteger: 1 },
  ]
}

export function questionnaireFor(
  instrumentId: InstrumentId,
  options: FhirOptions = {},
): FhirQuestionnaire {
  const instrument = getInstrument(instrumentId)
  const locale = options.locale ?? 'nb'
  const item: FhirQuestionnaireItem[] = instrument.items.map((i) => ({
    linkId: i.id,
    text: i.label[locale],
    type: 'decimal',
    required: true,
    extension: decimalRange(instrument.min, instrument.max),
  }))
  if (instrument.scored) {
    item.push({
      linkId: totalLinkId(instrumentId),
      text: TOTAL_TEXT[locale],
      type: 'decimal',
      required: false,
      readOnly: true,
      extension: decimalRange(
        instrument.min * instrument.items.length,
        instrument.max * instrument.items.length,
      ),
    })
  }
  return {
    resourceType: 'Questionnaire',
    id: questionnaireId(instrumentId),
    url: questionnaireUrl(instrumentId, options.canonicalBase),
    version: instrument.version,
    name: `Linja${instrumentId}`,
    title: instrument.title[locale],
    status: 'active',
    language: locale,
    publisher: 'Linja',
    description:
      "Structure of the form with Linja's own short working labels; not the licensed item wording. " +
      'Each item is the distance in cm of the mark from the left end of a 10 cm line, 0.0–10.0.' +
      (instrument.scored ? '' : ' Unscored form: no validated total; keep out of statistics.'),
    subjectType: ['Patient'],
    item,
  }
}

const ext = (name: string, value: Omit<FhirExtension, 'url'>): FhirExtension => ({
  url: `${LINJA_EXTENSION_BASE}/${name}`,
  ...value,
})

function checkId(kind: string, id: string): string {
  if (!FHIR_ID.test(id)) throw new RangeError(`${kind} is not a valid FHIR id: ${id}`)
  return id
}

export function questionnaireResponseFor(
  row: ExportRow,
  options: FhirOptions = {},
): FhirQuestionnaireResponse {
  if (row.status === 'draft') throw new RangeError(`${row.id}: drafts are not exported`)
  const instrument = getInstrument(row.instrumentId)
  const locale = options.locale ?? 'nb'
  const client: FhirReference = {
    type: 'Patient',
    identifier: { system: CLIENT_CODE_SYSTEM, value: row.client.code },
  }
  const item: FhirResponseItem[] = instrument.items.map((i) => {
    const score = row.items[i.id]
    if (score === undefined) throw new RangeError(`${row.id}: no score for item ${i.id}`)
    return { linkId: i.id, text: i.label[locale], answer: [{ valueDecimal: score }] }
  })
  if (instrument.scored) {
    item.push({
      linkId: totalLinkId(row.instrumentId),
      text: TOTAL_TEXT[locale],
      answer: [{ valueDecimal: row.total }],
    })
  }
  const extension: FhirExtension[] = [
    ext('episode', { valueId: checkId('Episode id', row.episode.id) }),
    ext('session', { valuePositiveInt: row.session }),
  ]
  if (row.versionOf) extension.push(ext('version-of', { valueId: checkId('Id', row.versionOf) }))
  if (row.supersedes) extension.push(ext('supersedes', { valueId: checkId('Id', row.supersedes) }))
  if (row.supersededBy)
    extension.push(ext('superseded-by', { valueId: checkId('Id', row.supersededBy) }))
  if (row.voided === true && row.voidReason)
    extension.push(ext('void-reason', { valueString: row.voidReason }))
  const authored = new Date(Date.parse(row.markedAt))
  if (Number.isNaN(authored.getTime())) throw new RangeError(`Not a date-time: ${row.markedAt}`)
  return {
    resourceType: 'QuestionnaireResponse',
    id: checkId('Administration id', row.id),
    meta: {
      tag: [
        { system: `${LINJA_CODE_SYSTEM_BASE}/collected-by`, code: row.collectedBy },
        { system: `${LINJA_CODE_SYSTEM_BASE}/rater`, code: row.rater },
      ],
    },
    extension,
    identifier: { system: 'urn:linja:administration', value: row.id },
    questionnaire: `${questionnaireUrl(row.instrumentId, options.canonicalBase)}|${row.instrumentVersion}`,
    status: row.voided === true ? 'entered-in-error' : 'completed',
    subject: client,
    authored: authored.toISOString(),
    // The client answered for themselves, or a collateral rater known only by role: a Reference
    // with a display alone is valid FHIR and names no one.
    source: row.rater === 'client' ? client : { display: row.rater },
    item,
  }
}

/**
 * A collection Bundle: the Questionnaires first (every form used by a row, plus any listed in
 * `instruments`, in Linja's instrument order), then one response per non-draft row in input order.
 * Responses get `urn:uuid:<id>` when the id is a UUID (Linja's ids are UUIDv7), else the
 * RESTful URL; Questionnaires use their canonical URL, which ends in their id.
 */
export function bundleFor(
  rows: readonly ExportRow[],
  instruments: readonly InstrumentId[] = [],
  options: FhirOptions = {},
): FhirBundle {
  const exported = rows.filter((r) => r.status !== 'draft')
  const used = new Set<InstrumentId>([...instruments, ...exported.map((r) => r.instrumentId)])
  const base = options.canonicalBase ?? DEFAULT_CANONICAL_BASE
  const entry: FhirBundle['entry'] = INSTRUMENT_IDS.filter((id) => used.has(id)).map((id) => {
    const resource = questionnaireFor(id, options)
    return { fullUrl: resource.url, resource }
  })
  for (const row of exported) {
    const resource = questionnaireResponseFor(row, options)
    const fullUrl = UUID.test(resource.id)
      ? `urn:uuid:${resource.id.toLowerCase()}`
      : `${base}/QuestionnaireResponse/${resource.id}`
    entry.push({ fullUrl, resource })
  }
  return { resourceType: 'Bundle', type: 'collection', entry }
}
