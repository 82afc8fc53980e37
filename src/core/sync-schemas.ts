// The sync protocol's bodies (docs/sync-protocol.md) as TypeBox schemas: the server validates and documents its routes with them, and the types both sides use are derived from them.
import { type Static, Type } from 'typebox'
import { RECORD_SCHEMAS, RecordId } from './record-schemas.ts'
import {
  ACCESS_LEVELS,
  MAX_PUSH_OPERATIONS,
  OP_STATUSES,
  SYNC_OPS,
  type SyncEntity,
} from './sync-protocol.ts'

const operationFields = {
  seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  opId: RecordId,
  deviceId: RecordId,
  entityId: RecordId,
  op: Type.Enum(SYNC_OPS),
  /** For corrections: the id of the version the correction was made from. */
  baseVersion: Type.Optional(RecordId),
  createdAt: Type.String({ format: 'date-time', maxLength: 40 }),
}
const operationOf = <E extends SyncEntity, P extends (typeof RECORD_SCHEMAS)[E]>(
  entity: E,
  payload: P,
) =>
  Type.Object(
    { ...operationFields, entity: Type.Literal(entity), payload },
    { additionalProperties: false },
  )

/**
 * One outbox entry as the device sends it; `payload` is the full record after the change, in the
 * shape of its entity (RECORD_SCHEMAS). A union on `entity`, so code that reads a payload knows it;
 * a check that must name the wrong field uses OPERATION_SCHEMAS[entity] (a union's errors list
 * every branch).
 */
export const OPERATION_SCHEMAS = {
  client: operationOf('client', RECORD_SCHEMAS.client),
  episode: operationOf('episode', RECORD_SCHEMAS.episode),
  administration: operationOf('administration', RECORD_SCHEMAS.administration),
} as const
export const PushOperation = Type.Union([
  OPERATION_SCHEMAS.client,
  OPERATION_SCHEMAS.episode,
  OPERATION_SCHEMAS.administration,
])
export type PushOperation = Static<typeof PushOperation>

export const PushRequest = Type.Object(
  {
    protocolVersion: Type.Integer({ minimum: 0, maximum: 1000 }),
    deviceId: RecordId,
    /**
     * A random secret the device made with its id (S21): the first push that carries it binds the
     * id to this tablet, and every later push with the id must carry it. Never logged or shown.
     */
    deviceKey: Type.Optional(
      Type.String({ minLength: 32, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }),
    ),
    /** The device clock when it sent the request; used only for the clock-skew warning. */
    sentAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    operations: Type.Array(PushOperation, { maxItems: MAX_PUSH_OPERATIONS }),
  },
  { additionalProperties: false },
)
export type PushRequest = Static<typeof PushRequest>

/**
 * The answer for one operation. `applied`: stored (serverSeq set). `conflict`: a correction made
 * from an outdated version; the server version (`serverVersion`) won and the losing one is kept
 * on the server. `rejected`: invalid (e.g. a score that fails validateItems); kept on the server
 * for review, never applied. Every status is final: the device removes the entry from its outbox.
 */
export const OpResult = Type.Object({
  seq: Type.Integer(),
  opId: Type.String(),
  status: Type.Enum(OP_STATUSES),
  /** True when this (deviceId, seq) had been acknowledged before: the stored answer is repeated. */
  duplicate: Type.Boolean(),
  serverSeq: Type.Optional(Type.Integer()),
  serverVersion: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
})
export type OpResult = Static<typeof OpResult>

export const PushResponse = Type.Object({
  results: Type.Array(OpResult),
  /** Every operation up to this device seq is acknowledged. */
  ackedThrough: Type.Integer(),
  serverEpoch: Type.String(),
  /** Present when the device clock differs from the server's by more than CLOCK_SKEW_WARNING_MS. */
  clockSkewMs: Type.Optional(Type.Integer()),
  /** The server clock when it answered (ISO); the device measures its own clock against it (S17). */
  serverTime: Type.Optional(Type.String({ format: 'date-time' })),
})
export type PushResponse = Static<typeof PushResponse>

const changeOf = <E extends SyncEntity, P extends (typeof RECORD_SCHEMAS)[E]>(
  entity: E,
  payload: P,
) =>
  Type.Object({
    serverSeq: Type.Integer(),
    entity: Type.Literal(entity),
    id: Type.String(),
    clientId: Type.String(),
    voided: Type.Boolean(),
    supersededBy: Type.Union([Type.String(), Type.Null()]),
    /** `read`: a supervisee's record; the device shows it but must not change it. */
    access: Type.Enum(ACCESS_LEVELS),
    /** The device checks it against RECORD_SCHEMAS[entity] before it stores it. */
    payload,
  })

export const PulledChange = Type.Union([
  changeOf('client', RECORD_SCHEMAS.client),
  changeOf('episode', RECORD_SCHEMAS.episode),
  changeOf('administration', RECORD_SCHEMAS.administration),
])
export type PulledChange = Static<typeof PulledChange>

export const PullResponse = Type.Object({
  changes: Type.Array(PulledChange),
  /** Opaque; send it back unchanged as `cursor` on the next pull. */
  cursor: Type.String(),
  hasMore: Type.Boolean(),
  serverEpoch: Type.String(),
  /** The server clock when it answered (ISO), as in PushResponse. */
  serverTime: Type.Optional(Type.String({ format: 'date-time' })),
})
export type PullResponse = Static<typeof PullResponse>
