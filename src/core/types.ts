// Shared vocabulary of the scoring core: ids and record shapes that app, storage and server all speak.

export const INSTRUMENT_IDS = ['ORS', 'SRS', 'CORS', 'CSRS', 'YCORS', 'YCSRS', 'GSRS'] as const
export type InstrumentId = (typeof INSTRUMENT_IDS)[number]

export const LOCALES = ['nb', 'nn', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export type LocalisedText = Readonly<Record<Locale, string>>

export const AGE_GROUPS = ['young', 'child', 'adolescent', 'adult'] as const
export type AgeGroup = (typeof AGE_GROUPS)[number]

// Who marked the form. Anyone but the client is a "collateral rater".
export const RATERS = ['client', 'parent', 'teacher', 'other'] as const
export type Rater = (typeof RATERS)[number]

export const INSTRUMENT_KINDS = ['outcome', 'session'] as const
export type InstrumentKind = (typeof INSTRUMENT_KINDS)[number]

export const TIMINGS = ['start', 'end'] as const
export type Timing = (typeof TIMINGS)[number]

export const ENDINGS = ['planned', 'unplanned', 'referred', 'other'] as const
export type Ending = (typeof ENDINGS)[number]

/**
 * How a form reached Linja: marked on the tablet, typed from paper, read over the phone, or marked
 * by the client on their own device through a remote link (only the server writes 'remote').
 */
export const COLLECTED_BY = ['tablet', 'paper', 'phone', 'remote'] as const
export type CollectedBy = (typeof COLLECTED_BY)[number]

export const CLIENT_CODE_MAX_LENGTH = 32

export const ADMINISTRATION_STATUSES = ['draft', 'final'] as const
export type AdministrationStatus = (typeof ADMINISTRATION_STATUSES)[number]

/**
 * One filled-in form. The input lists may contain every version of a record: the core itself
 * ignores drafts, voided records and records with a non-empty `supersededBy` (a correction
 * points the old version at its replacement), so callers need not pre-filter.
 * `total` is trusted as stored (the server validates it with `validateItems`).
 */
export interface AdministrationRecord {
  id: string
  instrumentId: InstrumentId
  items: Readonly<Record<string, number>>
  total: number
  /** 1-based session number within the episode; the outcome form and the session form of one meeting share it. */
  session: number
  /** ISO date-time the form was marked; orders two versions within one session. */
  markedAt: string
  rater: Rater
  status: AdministrationStatus
  voided?: boolean
  supersededBy?: string | null
}

/** One course of help for one (pseudonymous) client. Closed when `endedAt` is set. */
export interface EpisodeRecord {
  id: string
  clientId: string
  ageGroup: AgeGroup
  /** ISO date (or date-time; only the date part is used). */
  startedAt: string
  endedAt?: string | null
  ending?: Ending | null
  administrations: readonly AdministrationRecord[]
}

/** A figure in a report: the value and how many episodes/clients/sessions it rests on. */
export interface Figure {
  value: number | null
  n: number
  suppressed?: true
}
