// TypeBox pieces shared by the routes.
import { Type } from 'typebox'
import { DATE_RANGE, isCalendarDate, isCalendarDateTime } from '../../../src/core/index.ts'
import { ROLES } from '../../../src/core/sync-protocol.ts'

/** Ids are UUIDs on the device; anything else that could reach a query is refused. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]*$'
export const NO_NUL = '^[^\\u0000]*$'
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN })

/**
 * Options of an answer's object: exactly its declared fields. The OpenAPI document says so, and the
 * serialiser drops anything else a query happened to return (a hash, a token) instead of sending it.
 */
export const CLOSED = { additionalProperties: false } as const

/**
 * A string or null in an answer, as OpenAPI 3.0 says it (nullable): fast-json-stringify writes it
 * with a typeof, where a union with null made it compile Ajv for the whole answer schema on the
 * route's first answer (12 MiB of heap for a report) and validate the field on every answer.
 */
export const NullableString = Type.Unsafe<string | null>({ type: 'string', nullable: true })
/** The answer of an administrative change that has nothing else to say. */
export const Ok = Type.Object({ ok: Type.Literal(true) }, CLOSED)

export const ErrorReply = Type.Object(
  { error: Type.String(), message: Type.String() },
  { additionalProperties: true },
)

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)))

export const PersonReply = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(RoleSchema),
    /** The password was set by an administrator: the person must choose their own first. */
    mustChangePassword: Type.Optional(Type.Boolean()),
  },
  CLOSED,
)

/** The answer to a sign-in and a refresh: the device session's tokens and who signed in. */
export const SessionReply = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresAt: Type.String(),
  refreshToken: Type.String(),
  deviceSessionId: Type.String(),
  person: PersonReply,
  serverEpoch: Type.String(),
})

/** The password was right; the sign-in waits for a code ('code') or an enrolment ('enrol'). */
export const SecondFactorStep = Type.Object(
  {
    secondFactor: Type.Union([Type.Literal('code'), Type.Literal('enrol')]),
    pendingToken: Type.String(),
    expiresAt: Type.String(),
  },
  { additionalProperties: false },
)

export const IdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN }) },
  { additionalProperties: false },
)

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })
export const Password = Type.String({ minLength: 1, maxLength: 200 })
/** Free text stored in a column: no NUL (PostgreSQL text cannot hold it). */
export const Text = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: NO_NUL })
export const NewPassword = Type.String({ minLength: 10, maxLength: 200 })

/** Common error answers, so OpenAPI lists them and responses are serialised by schema. */
export const errors = {
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  404: ErrorReply,
  409: ErrorReply,
  429: ErrorReply,
} as const

/** A person as the administrator sees them. */
export const PersonView = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(RoleSchema),
    active: Type.Boolean(),
    unitIds: Type.Array(Type.String()),
    supervisorIds: Type.Array(Type.String()),
    /** Enrolled in two-factor sign-in; the secret itself is never sent. */
    twoFactor: Type.Boolean(),
    /** A leaver's end of access (ISO instant), set when a leaver request is approved; null = none. */
    accessEndsAt: Type.Union([Type.String(), Type.Null()]),
    /** When access ended (ISO instant), for someone no longer active; null when not known. */
    deactivatedAt: Type.Union([Type.String(), Type.Null()]),
  },
  CLOSED,
)

/**
 * A date in a query or path: a real calendar date YYYY-MM-DD within DATE_RANGE (formats
 * registered in app.ts from the core's isCalendarDate). Anything else is 400 invalid_date naming
 * the parameter, never a 500 from date arithmetic further in.
 */
export const CalendarDate = Type.String({
  // No maxLength: it would fire first, as invalid_request; the format fixes the length anyway.
  format: 'calendar-date',
  description: `YYYY-MM-DD, ${DATE_RANGE.from} to ${DATE_RANGE.to}`,
})
/** A CalendarDate, optionally with a UTC time of day (2026-03-01T10:30:00Z). */
export const CalendarDateTime = Type.String({
  format: 'calendar-date-time',
  description: `YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]]Z, ${DATE_RANGE.from} to ${DATE_RANGE.to}`,
})
/** The formats above, for the validator (app.ts) and the error handler. */
export const DATE_FORMATS = {
  'calendar-date': { type: 'string', validate: isCalendarDate },
  'calendar-date-time': { type: 'string', validate: isCalendarDateTime },
} as const

/** A unit leader's request (a joiner's account, or a leaver's last day) as the leader and the administrator see it. */
export const AccessRequestView = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('joiner'), Type.Literal('leaver')]),
    status: Type.Union([Type.Literal('open'), Type.Literal('approved'), Type.Literal('refused')]),
    unitId: Type.String(),
    unitName: Type.String(),
    requestedById: Type.String(),
    requestedByName: Type.String(),
    requestedAt: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    username: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.String(), Type.Null()]),
    personId: Type.Union([Type.String(), Type.Null()]),
    personName: Type.Union([Type.String(), Type.Null()]),
    lastDay: Type.Union([Type.String(), Type.Null()]),
    /** A leaver's end of access: the end of the last day, Norwegian time (ISO). */
    accessEndsAt: Type.Union([Type.String(), Type.Null()]),
    decidedAt: Type.Union([Type.String(), Type.Null()]),
  },
  CLOSED,
)
