// Administration: people (list, create, deactivate) and the audit log.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { deactivatePerson } from '../accounts/deactivation.ts'
import { createPerson, listPeople } from '../accounts/people.ts'
import type { AppContext } from '../context.ts'
import { callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import {
  CalendarDateTime,
  CLOSED,
  errors,
  Id,
  IdParams,
  NewPassword,
  Ok,
  PersonView,
  RoleSchema,
  Text,
  Username,
} from './schemas.ts'

const NewPersonBody = Type.Object(
  {
    username: Username,
    displayName: Text(1, 100),
    password: NewPassword,
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 4, uniqueItems: true }),
    unitIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  },
  { additionalProperties: false },
)
const AuditQuery = Type.Object(
  {
    personId: Type.Optional(Id),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' })),
    from: Type.Optional(CalendarDateTime),
    to: Type.Optional(CalendarDateTime),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
)
const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    at: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    target: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    details: Type.Union([Type.String(), Type.Null()]),
  },
  CLOSED,
)

export async function adminRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts
  const { db } = ctx

  app.get(
    '/api/admin/people',
    { schema: { response: { 200: Type.Array(PersonView), ...errors } } },
    async () => listPeople(db),
  )

  app.post(
    '/api/admin/people',
    {
      schema: { body: NewPersonBody, response: { 201: PersonView, ...errors } },
    },
    async (request: FastifyRequest<{ Body: Static<typeof NewPersonBody> }>, reply) => {
      const body = request.body
      const username = body.username.toLowerCase()
      const taken = await db
        .selectFrom('people')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst()
      if (taken) throw new Refusal(409, 'username_taken', 'That username is taken.')
      const unitIds = body.unitIds ?? []
      if (unitIds.length > 0) {
        const known = await db.selectFrom('units').select('id').where('id', 'in', unitIds).execute()
        if (known.length !== new Set(unitIds).size)
          throw new Refusal(400, 'unknown_unit', 'Unknown unit id.')
      }
      const id = await createPerson(db, { ...body, username, unitIds })
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'person_created',
        target: id,
        ip: request.ip,
      })
      const view = (await listPeople(db)).find((p) => p.id === id)
      return reply.code(201).send(view)
    },
  )

  app.post(
    '/api/admin/people/:id/deactivate',
    { schema: { params: IdParams, response: { 200: Ok, ...errors } } },
    async (request: FastifyRequest<{ Params: Static<typeof IdParams> }>) => {
      const { id } = request.params
      const caller = callerOf(request)
      if (id === caller.personId)
        throw new Refusal(400, 'cannot_deactivate_self', 'You cannot deactivate yourself.')
      const found = await deactivatePerson(db, id, new Date(ctx.now()).toISOString())
      if (!found) throw new Refusal(404, 'not_found', 'No such person.')
      await audit(db, {
        actorId: caller.personId,
        action: 'person_deactivated',
        target: id,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )

  app.get(
    '/api/admin/audit',
    {
      schema: { querystring: AuditQuery, response: { 200: Type.Array(AuditEntry), ...errors } },
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof AuditQuery> }>) => {
      const q = request.query
      const limit = Math.min(1000, Math.max(1, Number(q.limit ?? 200)))
      let query = db.selectFrom('audit_log').selectAll()
      // A person is found both as the one who acted and the one acted on.
      if (q.personId) {
        const id = q.personId
        query = query.where((eb) => eb.or([eb('actor_id', '=', id), eb('target', '=', id)]))
      }
      if (q.action) query = query.where('action', '=', q.action)
      if (q.from) query = query.where('at', '>=', q.from)
      // A bare date as `to` includes that whole day.
      if (q.to) query = query.where('at', '<', q.to.length === 10 ? `${q.to}T99` : q.to)
      const rows = await query.orderBy('id', 'desc').limit(limit).execute()
      return rows.map((a) => ({
        id: Number(a.id),
        at: a.at,
        actorId: a.actor_id,
        action: a.action,
        target: a.target,
        ip: a.ip,
        details: a.details,
      }))
    },
  )
}
