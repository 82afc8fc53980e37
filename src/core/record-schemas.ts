// The synced records (client, episode, administration) as TypeBox schemas: the one declaration the app's types, the server's push check and the app's pull check all come from.
import { type Static, type TSchema, Type } from 'typebox'
import { STATUS_COLOURS } from './status.ts'
import {
  ADMINISTRATION_STATUSES,
  AGE_GROUPS,
  CLIENT_CODE_MAX_LENGTH,
  COLLECTED_BY,
  ENDINGS,
  INSTRUMENT_IDS,
  LOCALES,
  RATERS,
} from './types.ts'

const REASON_MAX_LENGTH = 500

/** A record id: a UUID on devices; the server also accepts the short ids its tests and seed use. */
export const RecordId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
})
/** An ISO date or date-time as the device wrote it. */
const Time = Type.String({ minLength: 10, maxLength: 40 })
const Reason = Type.String({ minLength: 1, maxLength: REASON_MAX_LENGTH })

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A pseudonymous client. No names and no notes, by design. */
export const ClientPayload = Type.Object(
  {
    id: RecordId,
    /** Chosen by the practitioner; unique among this device's active clients, ignoring case. */
    code: Type.String({ minLength: 1, maxLength: CLIENT_CODE_MAX_LENGTH }),
    /** `code` lower-cased, for prefix search and the uniqueness check. */
    codeSearch: Type.String({ maxLength: CLIENT_CODE_MAX_LENGTH }),
    birthYear: Nullable(Type.Integer({ minimum: 1900, maximum: 2100 })),
    ageGroup: Type.Enum(AGE_GROUPS),
    unitId: Nullable(RecordId),
    practitionerIds: Type.Array(RecordId, { maxItems: 50 }),
    /** Set when the practitioner archives the client; an archived client's code may be reused. */
    archivedAt: Nullable(Time),
    createdAt: Time,
    updatedAt: Time,
  },
  { additionalProperties: false },
)

/** An ending taken back by mistake: what it was, when and why it was reopened. */
export const EpisodeReopening = Type.Object(
  {
    at: Time,
    reason: Reason,
    endedAt: Time,
    ending: Nullable(Type.Enum(ENDINGS)),
  },
  { additionalProperties: false },
)

export const EpisodePayload = Type.Object(
  {
    id: RecordId,
    clientId: RecordId,
    startedAt: Time,
    endedAt: Nullable(Time),
    ending: Nullable(Type.Enum(ENDINGS)),
    /** Traffic-light status computed when the episode ended. */
    endStatus: Nullable(Type.Enum(STATUS_COLOURS)),
    /** Endings taken back, oldest first; absent on episodes never reopened (and in old outboxes). */
    reopenings: Type.Optional(Type.Array(EpisodeReopening, { maxItems: 100 })),
    updatedAt: Time,
  },
  { additionalProperties: false },
)

export const VoidMark = Type.Object({ reason: Reason, at: Time }, { additionalProperties: false })

export const AdministrationPayload = Type.Object(
  {
    id: RecordId,
    clientId: RecordId,
    episodeId: RecordId,
    instrumentId: Type.Enum(INSTRUMENT_IDS),
    instrumentVersion: Type.String({ maxLength: 40 }),
    /** Every item of the instrument; null = not yet marked (never the same as 0). Scores: validateItems. */
    items: Type.Record(Type.String({ maxLength: 40 }), Nullable(Type.Number()), {
      maxProperties: 20,
    }),
    total: Nullable(Type.Number()),
    rater: Type.Enum(RATERS),
    collectedBy: Type.Enum(COLLECTED_BY),
    /** 1-based meeting number within the episode. */
    session: Type.Integer({ minimum: 1, maximum: 10000 }),
    /** Device clock of the latest mark or of finalisation. */
    markedAt: Time,
    startedAt: Time,
    status: Type.Enum(ADMINISTRATION_STATUSES),
    /** Language the client saw. */
    locale: Type.Enum(LOCALES),
    groupSessionId: Nullable(RecordId),
    memberLabel: Nullable(Type.String({ maxLength: 40 })),
    /** Id of the first version in a correction chain (null on a first version). */
    versionOf: Nullable(RecordId),
    supersedes: Nullable(RecordId),
    supersededBy: Nullable(RecordId),
    correctionReason: Nullable(Type.String({ maxLength: REASON_MAX_LENGTH })),
    voided: Nullable(VoidMark),
    createdAt: Time,
    updatedAt: Time,
  },
  { additionalProperties: false },
)

/** Each entity's schema, for checks that know the entity (push operations, pulled changes). */
export const RECORD_SCHEMAS = {
  client: ClientPayload,
  episode: EpisodePayload,
  administration: AdministrationPayload,
} as const

/** Any synced record: the payload of a push operation or a pulled change. */
export const SyncPayload = Type.Union([ClientPayload, EpisodePayload, AdministrationPayload])

export type ClientPayload = Static<typeof ClientPayload>
export type EpisodeReopening = Static<typeof EpisodeReopening>
export type EpisodePayload = Static<typeof EpisodePayload>
export type VoidMark = Static<typeof VoidMark>
export type AdministrationPayload = Static<typeof AdministrationPayload>
export type SyncPayload = Static<typeof SyncPayload>
