// The innsynslogg of one client, for the client: as JSON (the app's printable page) and as CSV, to an administrator or the client's own practitioner; and the administrator's search by client code. No route changes or deletes an entry.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { AccessLog, type AccessRelation, accessLogCsv } from '../../../src/core/access-log.ts'
import { LOCALES } from '../../../src/core/index.ts'
import type { Role } from '../../../src/core/sync-protocol.ts'
import { logClientAccess, readAccessLog } from '../accounts/access-log.ts'
import { readSettings } from '../accounts/settings.ts'
import type { AppContext } from '../context.ts'
import { authenticate, type Caller, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { CLOSED, errors, Id, Text } from './schemas.ts'

const ClientParams = Type.Object({ clientId: Id }, CLOSED)
const CsvQuery = Type.Object({ lang: Type.Optional(Type.Enum(LOCALES)) }, CLOSED)
/** In a body, not the address: request logs print addresses, and a code never goes there. */
const FindBody = Type.Object({ code: Text(1, 64) }, CLOSED)
const FoundClients = Type.Object(
  {
    clients: Type.Array(
      Type.Object(
        {
          clientId: Type.String(),
          code: Type.String(),
          /** Display names of the people who may write the client's records. */
          practitioners: Type.Array(Type.String()),
        },
        CLOSED,
      ),
    ),
  },
  CLOSED,
)

/** Why the caller may produce this client's log: their own client, or the administrator. */
async function producer(
  ctx: AppContext,
  caller: Caller,
  clientId: string,
): Promise<{ role: Role; relation: AccessRelation }> {
  const own = await ctx.db
    .selectFrom('client_access')
    .select('client_id')
    .where('client_id', '=', clientId)
    .where('person_id', '=', caller.personId)
    .executeTakeFirst()
  if (own) return { role: 'practitioner', relation: 'own' }
  if (caller.roles.includes('admin')) {
    const exists = await ctx.db
      .selectFrom('records')
      .select('id')
      .where('id', '=', clientId)
      .where('entity', '=', 'client')
      .executeTakeFirst()
    if (!exists) throw new Refusal(404, 'not_found', 'No such client.')
    return { role: 'admin', relation: 'admin' }
  }
  // Unknown and not-yours answer the same, so the answer does not tell a client exists.
  throw new Refusal(403, 'forbidden', 'Only the client’s practitioner or an administrator may.')
}

function codeOf(payload: string): string {
  const code = (JSON.parse(payload) as { code?: unknown }).code
  return typeof code === 'string' ? code : ''
}

/** Logs that the log was produced (it is itself access), then reads it, that entry included. */
async function produce(
  ctx: AppContext,
  request: FastifyRequest<{ Params: Static<typeof ClientParams> }>,
): Promise<AccessLog> {
  const caller = callerOf(request)
  const { clientId } = request.params
  const { role, relation } = await producer(ctx, caller, clientId)
  const producedAt = new Date(ctx.now()).toISOString()
  await logClientAccess(
    ctx.db,
    [
      {
        clientId,
        personId: caller.personId,
        role,
        relation,
        channel: 'access_log',
        deviceSessionId: caller.sessionId,
      },
    ],
    { at: producedAt },
  )
  const client = await ctx.db
    .selectFrom('records')
    .select('payload')
    .where('id', '=', clientId)
    .where('entity', '=', 'client')
    .executeTakeFirst()
  return {
    clientId,
    code: client ? codeOf(client.payload) : '',
    producedAt,
    retentionYears: (await readSettings(ctx.db)).accessLogRetentionYears,
    entries: await readAccessLog(ctx.db, clientId),
  }
}

export async function accessLogRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const producers = authenticate(ctx, ['practitioner', 'admin'])

  app.get(
    '/api/clients/:clientId/access-log',
    {
      schema: {
        summary:
          'Who has been given this client’s records, newest first (innsynslogg); producing it is logged too',
        params: ClientParams,
        response: { 200: AccessLog, ...errors },
      },
      preHandler: producers,
    },
    async (request: FastifyRequest<{ Params: Static<typeof ClientParams> }>) =>
      produce(ctx, request),
  )

  app.get(
    '/api/clients/:clientId/access-log.csv',
    {
      schema: {
        summary:
          'The innsynslogg as CSV in nb (default), nn or en: time (Norwegian time), person, role, access because, what happened, tablet',
        params: ClientParams,
        querystring: CsvQuery,
        response: { 200: Type.String(), ...errors },
      },
      preHandler: producers,
    },
    async (
      request: FastifyRequest<{
        Params: Static<typeof ClientParams>
        Querystring: Static<typeof CsvQuery>
      }>,
      reply,
    ) => {
      const log = await produce(ctx, request)
      const day = log.producedAt.slice(0, 10)
      // The file name carries no client code.
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="linja-innsynslogg-${day}.csv"`)
        .send(accessLogCsv(log.entries, request.query.lang ?? 'nb'))
    },
  )

  app.post(
    '/api/admin/access-log/find',
    {
      schema: {
        summary: 'Clients with this code (any case), to produce the innsynslogg of one',
        body: FindBody,
        response: { 200: FoundClients, ...errors },
      },
      preHandler: authenticate(ctx, ['admin']),
    },
    async (request: FastifyRequest<{ Body: Static<typeof FindBody> }>) => {
      const wanted = request.body.code.trim().toLowerCase()
      const rows = await ctx.db
        .selectFrom('records')
        .select(['id', 'payload'])
        .where('entity', '=', 'client')
        .execute()
      const matches = rows
        .map((r) => ({ clientId: r.id, code: codeOf(r.payload) }))
        .filter((c) => c.code.trim().toLowerCase() === wanted)
      if (matches.length === 0) return { clients: [] }
      const access = await ctx.db
        .selectFrom('client_access')
        .innerJoin('people', 'people.id', 'client_access.person_id')
        .select(['client_access.client_id', 'people.display_name'])
        .where(
          'client_access.client_id',
          'in',
          matches.map((m) => m.clientId),
        )
        .orderBy('people.display_name')
        .execute()
      return {
        clients: matches.map((m) => ({
          ...m,
          practitioners: access
            .filter((a) => a.client_id === m.clientId)
            .map((a) => a.display_name),
        })),
      }
    },
  )
}
