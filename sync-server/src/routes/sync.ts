// POST /api/sync/push and GET /api/sync/pull (docs/sync-protocol.md).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import {
  DEFAULT_PULL_LIMIT,
  MAX_PULL_LIMIT,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  SYNC_ENTITIES,
} from '../../../src/core/sync-protocol.ts'
import {
  PulledChange,
  PullResponse,
  PushRequest,
  PushResponse,
} from '../../../src/core/sync-schemas.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { pushBodyProblem } from '../sync/payloads.ts'
import { runPull } from '../sync/pull.ts'
import { runPush } from '../sync/push.ts'
import { ErrorReply, errors } from './schemas.ts'

const PullQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
)
/**
 * The core's PullResponse, with each payload sent as stored: the push checked it, the device
 * checks it again, and a serializer choosing between three record schemas per change would cost
 * every pull.
 */
const PullReply = Type.Object({
  ...PullResponse.properties,
  changes: Type.Array(
    Type.Object({
      ...PulledChange.anyOf[0].properties,
      entity: Type.Enum(SYNC_ENTITIES),
      payload: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
})
/** Refuses a push body that does not match the core's PushRequest, naming the operation and field. */
const pushBodyValidator = () => (body: unknown) => {
  const problem = pushBodyProblem(body)
  if (problem === null) return { value: body }
  return { error: new Refusal(400, problem.code, problem.message) }
}
const UpdateRequired = Type.Object({
  error: Type.Literal('update_required'),
  message: Type.String(),
  minimum: Type.Integer(),
  current: Type.Integer(),
})

function supported(version: number): boolean {
  return Number.isInteger(version) && version >= MIN_PROTOCOL_VERSION && version <= PROTOCOL_VERSION
}

/** S1: a version the server cannot serve gets 426 before anything else is looked at. */
async function checkProtocol(request: FastifyRequest) {
  const header = request.headers[PROTOCOL_HEADER]
  const body = request.body as { protocolVersion?: unknown } | undefined
  const fromBody = typeof body?.protocolVersion === 'number' ? body.protocolVersion : undefined
  const fromHeader =
    typeof header === 'string' && /^\d{1,4}$/.test(header) ? Number(header) : undefined
  const versions = [fromHeader, fromBody].filter((v): v is number => v !== undefined)
  if (header !== undefined && fromHeader === undefined) versions.push(-1)
  if (versions.length === 0 || versions.some((v) => !supported(v))) {
    throw new Refusal(
      426,
      'update_required',
      `This server speaks sync protocol ${MIN_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}: update the app.`,
      { minimum: MIN_PROTOCOL_VERSION, current: PROTOCOL_VERSION },
    )
  }
}

/** The version a pull was asked in (checkProtocol has made sure there is one and it is served). */
function protocolOf(request: FastifyRequest): number {
  const header = request.headers[PROTOCOL_HEADER]
  return typeof header === 'string' ? Number(header) : PROTOCOL_VERSION
}

function isRemoteForm(change: { entity: string; payload: unknown }): boolean {
  return (
    change.entity === 'administration' &&
    (change.payload as { collectedBy?: unknown } | null)?.collectedBy === 'remote'
  )
}

export async function syncRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts

  app.post<{ Body: PushRequest }>(
    '/api/sync/push',
    {
      schema: {
        summary: 'Send outbox operations; idempotent by (deviceId, seq)',
        body: PushRequest,
        response: { 200: PushResponse, 426: UpdateRequired, ...errors, 409: ErrorReply },
      },
      validatorCompiler: pushBodyValidator,
      preValidation: checkProtocol,
      preHandler: authenticate(ctx, ['practitioner']),
    },
    async (request) => {
      const caller = callerOf(request)
      const { deviceId } = request.body
      if (caller.deviceId !== null && caller.deviceId !== deviceId) {
        // The same answer as a device id bound to another session (S21): a push naming a device
        // id that is not this session's is never applied, whichever check sees it first.
        throw new Refusal(
          403,
          'device_not_yours',
          'This device id belongs to another device session.',
        )
      }
      const answer = await runPush(
        ctx,
        { personId: caller.personId, sessionId: caller.sessionId, roles: caller.roles },
        request.body,
      )
      if (caller.deviceId === null) {
        await ctx.db
          .updateTable('device_sessions')
          .set({ device_id: deviceId })
          .where('id', '=', caller.sessionId)
          .execute()
      }
      return { ...answer, serverTime: new Date().toISOString() }
    },
  )

  app.get(
    '/api/sync/pull',
    {
      schema: {
        summary: 'Changes after a cursor, in server order, one page at a time',
        querystring: PullQuery,
        response: { 200: PullReply, 426: UpdateRequired, ...errors },
      },
      onRequest: checkProtocol,
      preHandler: authenticate(ctx, ['practitioner', 'supervisor']),
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof PullQuery> }>) => {
      const caller = callerOf(request)
      const limit = Math.min(
        MAX_PULL_LIMIT,
        Math.max(1, Number(request.query.limit ?? DEFAULT_PULL_LIMIT)),
      )
      const page = await runPull(ctx, caller, request.query.cursor, limit)
      if (protocolOf(request) < 2 && page.changes.some(isRemoteForm)) {
        // A version-1 app refuses a form collected remotely and moves its cursor past it, losing it
        // for good: it is told to update before it sees one (S2), and keeps its outbox.
        throw new Refusal(
          426,
          'update_required',
          'This server has forms filled in through a remote link: update the app to receive them.',
          { minimum: 2, current: PROTOCOL_VERSION },
        )
      }
      return { ...page, serverTime: new Date().toISOString() }
    },
  )
}
