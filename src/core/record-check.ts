// Checks one synced record against its schema without generating code, so it runs under the app's CSP (no eval); the server compiles the same schemas.
import type { Static } from 'typebox'
import { Check, Errors } from 'typebox/value'
import { RECORD_SCHEMAS } from './record-schemas.ts'
import { finalScoresProblem } from './scoring.ts'
import type { SyncEntity } from './sync-protocol.ts'

export type RecordOf<E extends SyncEntity> = Static<(typeof RECORD_SCHEMAS)[E]>

/** A schema failure in words that name the field, never its value (it may be a score or a code). */
export function describeProblem(
  entity: SyncEntity,
  error: { instancePath: string; message: string } | undefined,
): string {
  const where = error ? `${error.instancePath || '/'}: ${error.message}` : 'does not match'
  return `${entity} payload ${where}`
}

/** Null when `payload` is a valid record of `entity`, else what is wrong with it. */
export function recordProblem(entity: SyncEntity, payload: unknown): string | null {
  const schema = RECORD_SCHEMAS[entity]
  if (schema === undefined) return `unknown entity ${String(entity)}`
  if (!Check(schema, payload)) return describeProblem(entity, Errors(schema, payload)[0])
  // A synced form passed the server's score check; the same check here gives the same verdict.
  if (entity === 'administration') {
    const scores = finalScoresProblem(payload as RecordOf<'administration'>)
    if (scores !== null) return `administration payload ${scores}`
  }
  return null
}

export function isRecordOf<E extends SyncEntity>(
  entity: E,
  payload: unknown,
): payload is RecordOf<E> {
  return recordProblem(entity, payload) === null
}
