// Instruments as data. Linja ships structure only: item ids, scale, age band, timing, raters.
// The labels below are Linja's OWN short working labels, not the licensed item wording
// (which belongs to the rights holders and arrives in an organisation's text pack).
import type {
  AgeGroup,
  InstrumentId,
  InstrumentKind,
  LocalisedText,
  Rater,
  Timing,
} from './types.ts'
import { INSTRUMENT_IDS } from './types.ts'

export interface InstrumentItem {
  /** Stable id used in stored records and text packs, e.g. 'ors.individually'. */
  id: string
  /** Linja's short working label, never the licensed wording. */
  label: LocalisedText
}

export interface Instrument {
  id: InstrumentId
  /** Version of Linja's structural definition; a stored record keeps the version it was marked on. */
  version: string
  kind: InstrumentKind
  /** Short working title (the instrument acronym); licensed titles come from a text pack. */
  title: LocalisedText
  items: readonly InstrumentItem[]
  min: number
  max: number
  step: number
  ageBand: { minAge: number; maxAge: number | null }
  timing: Timing
  raters: readonly Rater[]
  /** false: stored and shown, but kept out of every statistic (no validated 0–40 score). */
  scored: boolean
  /** true: faces at the line ends (child forms) or as the answer itself (young child forms). */
  faces: boolean
  /** 'line': a 10 cm analogue line; 'face-choice': the child picks a face, stored on the same 0–10 scale. */
  response: 'line' | 'face-choice'
  /** Rated by members of a group session. */
  group: boolean
  endLabels: { low: LocalisedText; high: LocalisedText }
  /** Always true for the built-in definitions: the labels are working labels, not licensed text. */
  workingLabels: true
}

const ALL_RATERS: readonly Rater[] = ['client', 'parent', 'teacher', 'other']
const CLIENT_ONLY: readonly Rater[] = ['client']

const OUTCOME_ENDS = {
  low: { nb: 'Dårlig', nn: 'Dårleg', en: 'Badly' },
  high: { nb: 'Bra', nn: 'Bra', en: 'Well' },
} as const
const SESSION_ENDS = {
  low: { nb: 'Passet dårlig', nn: 'Passa dårleg', en: 'Poor fit' },
  high: { nb: 'Passet godt', nn: 'Passa godt', en: 'Good fit' },
} as const

const LINE = { min: 0, max: 10, step: 0.1 } as const

function item(id: string, nb: string, nn: string, en: string): InstrumentItem {
  return { id, label: { nb, nn, en } }
}
function title(acronym: string): LocalisedText {
  return { nb: acronym, nn: acronym, en: acronym }
}

const SRS_ITEMS = (prefix: string, relationship: LocalisedText): InstrumentItem[] => [
  { id: `${prefix}.relationship`, label: relationship },
  item(`${prefix}.goals`, 'Mål og tema', 'Mål og tema', 'Goals and topics'),
  item(`${prefix}.approach`, 'Tilnærming', 'Tilnærming', 'Approach'),
  item(`${prefix}.overall`, 'Alt i alt', 'Alt i alt', 'Overall'),
]

export const INSTRUMENTS: Readonly<Record<InstrumentId, Instrument>> = {
  ORS: {
    id: 'ORS',
    version: '1',
    kind: 'outcome',
    title: title('ORS'),
    ...LINE,
    items: [
      item('ors.individually', 'Personlig', 'Personleg', 'Personal'),
      item('ors.interpersonally', 'Nære relasjoner', 'Nære relasjonar', 'Close relationships'),
      item('ors.socially', 'Jobb, skole, venner', 'Jobb, skule, vener', 'Work, school, friends'),
      item('ors.overall', 'Alt i alt', 'Alt i alt', 'Overall'),
    ],
    ageBand: { minAge: 13, maxAge: null },
    timing: 'start',
    raters: ALL_RATERS,
    scored: true,
    faces: false,
    response: 'line',
    group: false,
    endLabels: OUTCOME_ENDS,
    workingLabels: true,
  },
  SRS: {
    id: 'SRS',
    version: '1',
    kind: 'session',
    title: title('SRS'),
    ...LINE,
    items: SRS_ITEMS('srs', { nb: 'Relasjon', nn: 'Relasjon', en: 'Relationship' }),
    ageBand: { minAge: 13, maxAge: null },
    timing: 'end',
    raters: CLIENT_ONLY,
    scored: true,
    faces: false,
    response: 'line',
    group: false,
    endLabels: SESSION_ENDS,
    workingLabels: true,
  },
  CORS: {
    id: 'CORS',
    version: '1',
    kind: 'outcome',
    title: title('CORS'),
    ...LINE,
    items: [
      item('cors.me', 'Meg', 'Meg', 'Me'),
      item('cors.family', 'Familie', 'Familie', 'Family'),
      item('cors.school', 'Skole', 'Skule', 'School'),
      item('cors.everything', 'Alt', 'Alt', 'Everything'),
    ],
    ageBand: { minAge: 6, maxAge: 12 },
    timing: 'start',
    raters: ALL_RATERS,
    scored: true,
    faces: true,
    response: 'line',
    group: false,
    endLabels: OUTCOME_ENDS,
    workingLabels: true,
  },
  CSRS: {
    id: 'CSRS',
    version: '1',
    kind: 'session',
    title: title('CSRS'),
    ...LINE,
    items: [
      item('csrs.listening', 'Ble hørt', 'Vart høyrd', 'Listened to'),
      item('csrs.important', 'Det viktige', 'Det viktige', 'What matters'),
      item('csrs.what-we-did', 'Det vi gjorde', 'Det vi gjorde', 'What we did'),
      item('csrs.overall', 'Alt i alt', 'Alt i alt', 'Overall'),
    ],
    ageBand: { minAge: 6, maxAge: 12 },
    timing: 'end',
    raters: CLIENT_ONLY,
    scored: true,
    faces: true,
    response: 'line',
    group: false,
    endLabels: SESSION_ENDS,
    workingLabels: true,
  },
  // Young-child forms: the reference gives no item structure, only "faces; not a validated
  // 0–40 score". Linja models each as ONE face-choice answer (a working assumption, unverified);
  // the form is unscored, so no statistic depends on this choice.
  YCORS: {
    id: 'YCORS',
    version: '1',
    kind: 'outcome',
    title: title('YCORS'),
    ...LINE,
    items: [item('ycors.overall', 'Hvordan det går', 'Korleis det går', 'How things are')],
    ageBand: { minAge: 0, maxAge: 5 },
    timing: 'start',
    raters: ALL_RATERS,
    scored: false,
    faces: true,
    response: 'face-choice',
    group: false,
    endLabels: OUTCOME_ENDS,
    workingLabels: true,
  },
  YCSRS: {
    id: 'YCSRS',
    version: '1',
    kind: 'session',
    title: title('YCSRS'),
    ...LINE,
    items: [item('ycsrs.overall', 'Timen i dag', 'Timen i dag', 'Today')],
    ageBand: { minAge: 0, maxAge: 5 },
    timing: 'end',
    raters: CLIENT_ONLY,
    scored: false,
    faces: true,
    response: 'face-choice',
    group: false,
    endLabels: SESSION_ENDS,
    workingLabels: true,
  },
  GSRS: {
    id: 'GSRS',
    version: '1',
    kind: 'session',
    title: title('GSRS'),
    ...LINE,
    items: SRS_ITEMS('gsrs', {
      nb: 'Relasjon (leder og gruppe)',
      nn: 'Relasjon (leiar og gruppe)',
      en: 'Relationship (leader and group)',
    }),
    // Rated by each group member, who is a client of the group; the age band follows the SRS.
    ageBand: { minAge: 13, maxAge: null },
    timing: 'end',
    raters: CLIENT_ONLY,
    scored: true,
    faces: false,
    response: 'line',
    group: true,
    endLabels: SESSION_ENDS,
    workingLabels: true,
  },
}

export function isInstrumentId(value: unknown): value is InstrumentId {
  return typeof value === 'string' && (INSTRUMENT_IDS as readonly string[]).includes(value)
}

export function getInstrument(id: InstrumentId): Instrument
export function getInstrument(id: string): Instrument | undefined
export function getInstrument(id: string): Instrument | undefined {
  return isInstrumentId(id) ? INSTRUMENTS[id] : undefined
}

/** Age-group boundaries (reference: ORS/SRS 13+, CORS/CSRS 6–12, YC under 6; adult 18+). */
export const AGE_GROUP_BOUNDS = { childFrom: 6, adolescentFrom: 13, adultFrom: 18 } as const

export function ageGroupForAge(age: number): AgeGroup {
  if (!Number.isFinite(age) || age < 0) throw new RangeError(`Not an age: ${age}`)
  if (age < AGE_GROUP_BOUNDS.childFrom) return 'young'
  if (age < AGE_GROUP_BOUNDS.adolescentFrom) return 'child'
  if (age < AGE_GROUP_BOUNDS.adultFrom) return 'adolescent'
  return 'adult'
}

/**
 * Linja stores a birth year only (pseudonymous records), so the age is the age reached during
 * the year of `atDateISO`. That matches how Norwegian schools place children by birth year,
 * and at most overstates the age by one year for clients whose birthday is still to come.
 */
export function ageFromBirthYear(birthYear: number, atDateISO: string): number {
  const match = /^(\d{4})-\d{2}-\d{2}/.exec(atDateISO)
  if (!match?.[1]) throw new RangeError(`Not an ISO date: ${atDateISO}`)
  const year = Number(match[1])
  if (!Number.isInteger(birthYear) || birthYear > year) {
    throw new RangeError(`Birth year ${birthYear} is not before ${atDateISO}`)
  }
  return year - birthYear
}

const FORMS_BY_AGE_GROUP: Readonly<
  Record<AgeGroup, { outcome: InstrumentId; session: InstrumentId }>
> = {
  young: { outcome: 'YCORS', session: 'YCSRS' },
  child: { outcome: 'CORS', session: 'CSRS' },
  adolescent: { outcome: 'ORS', session: 'SRS' },
  adult: { outcome: 'ORS', session: 'SRS' },
}

export function formsForAge(ageGroup: AgeGroup): { outcome: InstrumentId; session: InstrumentId } {
  return FORMS_BY_AGE_GROUP[ageGroup]
}
