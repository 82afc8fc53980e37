// Shapes of the records a device pushes (mirrors src/storage/records.ts) and the score check every administration passes.
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import {
  ADMINISTRATION_STATUSES,
  AGE_GROUPS,
  ENDINGS,
  INSTRUMENT_IDS,
  LOCALES,
  RATERS,
  roundScore,
  STATUS_COLOURS,
  validateItems,
} from '../../../src/core/index.ts'
import type { SyncEntity } from '../../../src/core/sync-protocol.ts'

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' })
const Time = Type.String({ minLength: 10, maxLength: 40 })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()])
const OneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)))

export const ClientPayload = Type.Object(
  {
    id: Id,
    code: Type.String({ minLength: 1, maxLength: 32 }),
    codeSearch: Type.String({ maxLength: 32 }),
    birthYear: Nullable(Type.Integer({ minimum: 1900, maximum: 2100 })),
    ageGroup: OneOf(AGE_GROUPS),
    unitId: Nullable(Id),
    practitionerIds: Type.Array(Id, { maxItems: 50 }),
    archivedAt: Nullable(Time),
    createdAt: Time,
    updatedAt: Time,
  },
  { additionalProperties: false },
)

/** An ending taken back by mistake (the device's EpisodeReopening): kept, with its reason. */
const Reopening = Type.Object(
  {
    at: Time,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    endedAt: Time,
    ending: Nullable(OneOf(ENDINGS)),
  },
  { additionalProperties: false },
)

export const EpisodePayload = Type.Object(
  {
    id: Id,
    clientId: Id,
    startedAt: Time,
    endedAt: Nullable(Time),
    ending: Nullable(OneOf(ENDINGS)),
    endStatus: Nullable(OneOf(STATUS_COLOURS)),
    // Optional: outboxes written before reopening existed have no such field.
    reopenings: Type.Optional(Type.Array(Reopening, { maxItems: 100 })),
    updatedAt: Time,
  },
  { additionalProperties: false },
)

export const AdministrationPayload = Type.Object(
  {
    id: Id,
    clientId: Id,
    episodeId: Id,
    instrumentId: OneOf(INSTRUMENT_IDS),
    instrumentVersion: Type.String({ maxLength: 40 }),
    items: Type.Record(Type.String({ maxLength: 40 }), Nullable(Type.Number()), {
      maxProperties: 20,
    }),
    total: Nullable(Type.Number()),
    rater: OneOf(RATERS),
    collectedBy: OneOf(['tablet', 'paper', 'phone']),
    session: Type.Integer({ minimum: 1, maximum: 10000 }),
    markedAt: Time,
    startedAt: Time,
    status: OneOf(ADMINISTRATION_STATUSES),
    locale: OneOf(LOCALES),
    groupSessionId: Nullable(Id),
    memberLabel: Nullable(Type.String({ maxLength: 40 })),
    versionOf: Nullable(Id),
    supersedes: Nullable(Id),
    supersededBy: Nullable(Id),
    correctionReason: Nullable(Type.String({ maxLength: 500 })),
    voided: Nullable(
      Type.Object(
        { reason: Type.String({ minLength: 1, maxLength: 500 }), at: Time },
        { additionalProperties: false },
      ),
    ),
    createdAt: Time,
    updatedAt: Time,
  },
  { additionalProperties: false },
)

const validators = {
  client: Compile(ClientPayload),
  episode: Compile(EpisodePayload),
  administration: Compile(AdministrationPayload),
} as const

export type PayloadCheck = { ok: true } | { ok: false; message: string }

/** Shape check (TypeBox); the caller turns a failure into a 400 for the whole push. */
export function checkPayloadShape(entity: SyncEntity, payload: unknown): PayloadCheck {
  const validator = validators[entity]
  if (validator.Check(payload)) return { ok: true }
  const first = validator.Errors(payload)[0]
  const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'does not match'
  return { ok: false, message: `${entity} payload ${where}` }
}

/**
 * The score check the app runs too (core validateItems). A final administration must have every
 * item valid and a total equal to the sum; the reason names only codes, never a score.
 */
export function checkScores(payload: Readonly<Record<string, unknown>>): PayloadCheck {
  if (payload.status !== 'final') return { ok: false, message: 'only final administrations sync' }
  const items = payload.items as Readonly<Record<string, unknown>>
  const result = validateItems(String(payload.instrumentId), items)
  if (!result.ok) {
    const codes = [...new Set(result.errors.map((e) => e.code))].join(', ')
    return { ok: false, message: `invalid items (${codes})` }
  }
  const total = payload.total
  if (typeof total !== 'number' || roundScore(total) !== result.total) {
    return { ok: false, message: 'total does not match the items' }
  }
  return { ok: true }
}
