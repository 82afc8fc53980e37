// Supervision: a supervisor's supervisees with their clients' status, a client's records read-only, and aggregates per supervisee.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { type EpisodeRecord, episodeStatus, type StatusColour } from '../../../src/core/index.ts'
import { SyncPayload } from '../../../src/core/record-schemas.ts'
import { SYNC_ENTITIES } from '../../../src/core/sync-protocol.ts'
import { logClientAccess } from '../accounts/access-log.ts'
import { supervisees } from '../accounts/people.ts'
import { readSettings } from '../accounts/settings.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { AggregatesSchema } from '../reports/aggregates-schema.ts'
import { loadEpisodes } from '../reports/episodes.ts'
import { superviseeFigures } from '../reports/scope.ts'
import { CalendarDate, errors, Id, IdParams, NullableString } from './schemas.ts'

const ColourSchema = Type.Union(
  (['red', 'orange', 'green', 'grey'] as const).map((c) => Type.Literal(c)),
)
const Reason = Type.Object({
  key: Type.String(),
  values: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String()])),
  /** core REASON_ROLES: sets the colour, act on now, or noted. */
  role: Type.Optional(Type.Union((['colour', 'act', 'note'] as const).map((r) => Type.Literal(r)))),
})
const ClientStatus = Type.Object({
  clientId: Type.String(),
  code: Type.String(),
  ageGroup: Type.String(),
  colour: ColourSchema,
  /** i18n keys with their values (core STATUS_REASON_KEYS): the device puts them in words. */
  reasons: Type.Array(Reason),
  episodeId: Type.Union([Type.String(), Type.Null()]),
  /** The current episode has ended: listed last, and shown as ended rather than by colour. */
  closed: Type.Boolean(),
  lastMarkedAt: Type.Union([Type.String(), Type.Null()]),
})
const Supervisee = Type.Object({
  personId: Type.String(),
  displayName: Type.String(),
  clients: Type.Array(ClientStatus),
})
const ClientParams = Type.Object({ clientId: Id }, { additionalProperties: false })
const ClientRecords = Type.Object({
  clientId: Type.String(),
  access: Type.Literal('read'),
  records: Type.Array(
    Type.Object({
      id: Type.String(),
      entity: Type.Enum(SYNC_ENTITIES),
      voided: Type.Boolean(),
      supersededBy: Type.Union([Type.String(), Type.Null()]),
      payload: SyncPayload,
    }),
  ),
})
const PeriodQuery = Type.Object(
  { from: Type.Optional(CalendarDate), to: Type.Optional(CalendarDate) },
  { additionalProperties: false },
)
const SuperviseeAggregates = Type.Object({
  personId: Type.String(),
  from: NullableString,
  to: NullableString,
  /** Episodes started in the period. */
  n: Type.Integer(),
  aggregates: AggregatesSchema,
})

const URGENCY: Record<StatusColour, number> = { red: 0, orange: 1, green: 2, grey: 3 }

/** The episode that matters now: the open one started last, else the one started last. */
function currentEpisode(episodes: readonly EpisodeRecord[]): EpisodeRecord | undefined {
  const byStart = [...episodes].sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  return byStart.find((e) => !e.endedAt) ?? byStart[0]
}

async function clientsOf(ctx: AppContext, personIds: readonly string[]) {
  if (personIds.length === 0) return []
  return ctx.db
    .selectFrom('client_access')
    .select(['client_id', 'person_id'])
    .where('person_id', 'in', personIds)
    .execute()
}

export async function supervisionRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const supervisorOnly = authenticate(ctx, ['supervisor'])

  app.get(
    '/api/supervision/supervisees',
    {
      schema: {
        summary: 'Supervisees and their clients, most in need of attention first',
        response: { 200: Type.Array(Supervisee), ...errors },
      },
      preHandler: supervisorOnly,
    },
    async (request) => {
      const ids = await supervisees(db, callerOf(request).personId)
      if (ids.length === 0) return []
      const people = await db
        .selectFrom('people')
        .select(['id', 'display_name'])
        .where('id', 'in', ids)
        .orderBy('display_name')
        .execute()
      const access = await clientsOf(ctx, ids)
      const clientIds = [...new Set(access.map((a) => a.client_id))]
      const settings = await readSettings(db)
      const statusSettings = {
        norms: settings.cutoffOverrides,
        ...(settings.trajectory ? { trajectory: settings.trajectory } : {}),
      }
      const episodes = await loadEpisodes(db, { clientIds })
      const clientRows =
        clientIds.length === 0
          ? []
          : await db
              .selectFrom('records')
              .select(['id', 'payload'])
              .where('entity', '=', 'client')
              .where('id', 'in', clientIds)
              .execute()
      const statusOf = new Map(
        clientRows.map((c) => {
          const p = JSON.parse(c.payload) as { code?: unknown; ageGroup?: unknown }
          const current = currentEpisode(episodes.filter((e) => e.clientId === c.id))
          const status = current ? episodeStatus(current, statusSettings) : undefined
          const marks = (current?.administrations ?? [])
            .filter((a) => !a.voided && !a.supersededBy)
            .map((a) => a.markedAt)
            .sort()
          return [
            c.id,
            {
              clientId: c.id,
              code: String(p.code ?? ''),
              ageGroup: String(p.ageGroup ?? ''),
              colour: status?.colour ?? ('grey' as const),
              reasons: status?.reasons ?? [],
              episodeId: current?.id ?? null,
              closed: Boolean(current?.endedAt),
              lastMarkedAt: marks[marks.length - 1] ?? null,
            },
          ]
        }),
      )
      // Each listed client's status and colour is about that client: in its innsynslogg.
      const caller = callerOf(request)
      await logClientAccess(
        db,
        [...statusOf.keys()].map((clientId) => ({
          clientId,
          personId: caller.personId,
          role: 'supervisor' as const,
          relation: 'supervisee' as const,
          channel: 'supervision_overview' as const,
          deviceSessionId: caller.sessionId,
        })),
        { at: new Date(ctx.now()).toISOString() },
      )
      return people.map((person) => ({
        personId: person.id,
        displayName: person.display_name,
        clients: access
          .filter((a) => a.person_id === person.id)
          .flatMap((a) => statusOf.get(a.client_id) ?? [])
          .sort(
            (a, b) =>
              Number(a.closed) - Number(b.closed) ||
              URGENCY[a.colour] - URGENCY[b.colour] ||
              (b.lastMarkedAt ?? '').localeCompare(a.lastMarkedAt ?? '') ||
              a.code.localeCompare(b.code),
          ),
      }))
    },
  )

  app.get(
    '/api/supervision/clients/:clientId',
    {
      schema: {
        summary: 'A supervisee’s client, read-only',
        params: ClientParams,
        response: { 200: ClientRecords, ...errors },
      },
      preHandler: supervisorOnly,
    },
    async (request: FastifyRequest<{ Params: Static<typeof ClientParams> }>) => {
      const { clientId } = request.params
      const caller = callerOf(request)
      const ids = await supervisees(db, caller.personId)
      const access = ids.length
        ? await db
            .selectFrom('client_access')
            .select('client_id')
            .where('client_id', '=', clientId)
            .where('person_id', 'in', ids)
            .executeTakeFirst()
        : undefined
      // Unknown and not-yours answer the same, so the answer does not tell a client exists.
      if (!access) throw new Refusal(403, 'forbidden', 'This client is not a supervisee’s.')
      await logClientAccess(
        db,
        [
          {
            clientId,
            personId: caller.personId,
            role: 'supervisor',
            relation: 'supervisee',
            channel: 'supervision_view',
            deviceSessionId: caller.sessionId,
          },
        ],
        { at: new Date(ctx.now()).toISOString() },
      )
      const rows = await db
        .selectFrom('records')
        .select(['id', 'entity', 'voided', 'superseded_by', 'payload'])
        .where('client_id', '=', clientId)
        .orderBy('server_seq')
        .execute()
      return {
        clientId,
        access: 'read' as const,
        records: rows.map((r) => ({
          id: r.id,
          entity: r.entity,
          voided: r.voided === 1,
          supersededBy: r.superseded_by,
          payload: JSON.parse(r.payload) as unknown,
        })),
      }
    },
  )

  app.get(
    '/api/supervision/supervisees/:id/aggregates',
    {
      schema: {
        summary: 'Core aggregates over the episodes a supervisee started in the period',
        params: IdParams,
        querystring: PeriodQuery,
        response: { 200: SuperviseeAggregates, ...errors },
      },
      preHandler: supervisorOnly,
    },
    async (
      request: FastifyRequest<{
        Params: Static<typeof IdParams>
        Querystring: Static<typeof PeriodQuery>
      }>,
    ) => {
      const { id } = request.params
      const { from, to } = request.query
      const figures = await superviseeFigures(ctx, callerOf(request), id, { from, to })
      if (!figures) throw new Refusal(403, 'forbidden', 'This person is not your supervisee.')
      if (from && to && from > to) throw new Refusal(400, 'bad_period', 'from is after to.')
      return { personId: id, from: from ?? null, to: to ?? null, ...figures }
    },
  )
}
