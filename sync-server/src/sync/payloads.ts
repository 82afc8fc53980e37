// The server's checks of pushed records: the core's record schemas (src/core/record-schemas.ts), compiled once, and the core score check.
import { Type } from 'typebox'
import { Compile } from 'typebox/compile'
import { finalScoresProblem } from '../../../src/core/index.ts'
import { describeProblem } from '../../../src/core/record-check.ts'
import { RECORD_SCHEMAS } from '../../../src/core/record-schemas.ts'
import { MAX_PUSH_OPERATIONS, type SyncEntity } from '../../../src/core/sync-protocol.ts'
import { OPERATION_SCHEMAS, PushRequest } from '../../../src/core/sync-schemas.ts'

const validators = {
  client: Compile(RECORD_SCHEMAS.client),
  episode: Compile(RECORD_SCHEMAS.episode),
  administration: Compile(RECORD_SCHEMAS.administration),
} as const

export type PayloadCheck = { ok: true } | { ok: false; message: string }

/** Shape check; the caller turns a failure into a 400 for the whole push. The message names the field. */
export function checkPayloadShape(entity: SyncEntity, payload: unknown): PayloadCheck {
  const validator = validators[entity]
  if (validator === undefined) return { ok: false, message: `unknown entity ${String(entity)}` }
  if (validator.Check(payload)) return { ok: true }
  return { ok: false, message: describeProblem(entity, validator.Errors(payload)[0]) }
}

/** The score check the app runs on pulled forms too (core finalScoresProblem, built on validateItems). */
export function checkScores(payload: Parameters<typeof finalScoresProblem>[0]): PayloadCheck {
  const problem = finalScoresProblem(payload)
  return problem === null ? { ok: true } : { ok: false, message: problem }
}

const pushRequest = Compile(PushRequest)
/** PushRequest with its operations left for operationProblem: each is checked against its own entity's schema only. */
const envelope = Compile(
  Type.Object(
    {
      ...PushRequest.properties,
      operations: Type.Array(Type.Unknown(), { maxItems: MAX_PUSH_OPERATIONS }),
    },
    { additionalProperties: false },
  ),
)
const operations = {
  client: Compile(OPERATION_SCHEMAS.client),
  episode: Compile(OPERATION_SCHEMAS.episode),
  administration: Compile(OPERATION_SCHEMAS.administration),
} as const

export interface BodyProblem {
  /** `invalid_operation` when an operation is wrong (S7), `invalid_request` for the rest of the body. */
  code: 'invalid_operation' | 'invalid_request'
  message: string
}

const isObject = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function operationProblem(op: unknown, index: number): string | null {
  const name = isObject(op) && typeof op.seq === 'number' ? `seq ${op.seq}` : `#${index + 1}`
  const entity = isObject(op) ? op.entity : undefined
  if (entity !== 'client' && entity !== 'episode' && entity !== 'administration') {
    return `Operation ${name}: entity must be client, episode or administration`
  }
  const check = operations[entity]
  if (check.Check(op)) return null
  const error = check.Errors(op)[0]
  const path = error?.instancePath ?? ''
  const what = path.startsWith('/payload')
    ? describeProblem(entity, error && { ...error, instancePath: path.slice('/payload'.length) })
    : `${path.slice(1) || 'operation'}: ${error?.message ?? 'does not match'}`
  return `Operation ${name}: ${what}`
}

/**
 * The push route's body check, with the core's PushRequest schema compiled once. A failure names
 * the operation and the field (never a value: it may be a score or a client code).
 */
export function pushBodyProblem(body: unknown): BodyProblem | null {
  // The same verdict as pushRequest.Check, without trying every operation against the union's
  // branches in turn: an operation is valid exactly when its own entity's schema passes it.
  if (envelope.Check(body) && body.operations.every((op, i) => operationProblem(op, i) === null))
    return null
  if (isObject(body) && Array.isArray(body.operations)) {
    for (const [index, op] of body.operations.entries()) {
      const message = operationProblem(op, index)
      if (message !== null) return { code: 'invalid_operation', message }
    }
  }
  const error = pushRequest.Errors(body)[0]
  return {
    code: 'invalid_request',
    message: `body${error?.instancePath ?? ''} ${error?.message ?? 'does not match'}`,
  }
}
