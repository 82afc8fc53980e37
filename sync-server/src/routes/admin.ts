// Administration: people (create, deactivate), supervision links, device sessions (list, revoke) and the audit log.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { deactivatePerson } from '../accounts/deactivation.ts'
import { createPerson, listPeople } from '../accounts/people.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { restampClients } from '../sync/restamp.ts'
import { lockCounter, SeqAllocator, storeCounter } from '../sync/store.ts'
import {
  CalendarDateTime,
  CLOSED,
  errors,
  Id,
  IdParams,
  NewPassword,
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
const SupervisionBody = Type.Object(
  {
    supervisorId: Id,
    practitionerId: Id,
  },
  { additionalProperties: false },
)
const Device = Type.Object(
  {
    id: Type.String(),
    personId: Type.String(),
    deviceName: Type.String(),
    createdAt: Type.String(),
    lastContactAt: Type.String(),
    appVersion: Type.Union([Type.String(), Type.Null()]),
    revokedAt: Type.Union([Type.String(), Type.Null()]),
    wipe: Type.Boolean(),
  },
  CLOSED,
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
const Ok = Type.Object({ ok: Type.Literal(true) }, CLOSED)

export async function adminRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const adminOnly = authenticate(ctx, ['admin'])

  app.get(
    '/api/admin/people',
    { schema: { response: { 200: Type.Array(PersonView), ...errors } }, preHandler: adminOnly },
    async () => listPeople(db),
  )

  app.post(
    '/api/admin/people',
    {
      schema: { body: NewPersonBody, response: { 201: PersonView, ...errors } },
      preHandler: adminOnly,
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
    { schema: { params: IdParams, response: { 200: Ok, ...errors } }, preHandler: adminOnly },
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

  app.post(
    '/api/admin/supervision',
    { schema: { body: SupervisionBody, response: { 200: Ok, ...errors } }, preHandler: adminOnly },
    async (request: FastifyRequest<{ Body: Static<typeof SupervisionBody> }>) => {
      const { supervisorId, practitionerId } = request.body
      const people = await db
        .selectFrom('people')
        .select('id')
        .where('id', 'in', [supervisorId, practitionerId])
        .execute()
      if (
        people.length !== new Set([supervisorId, practitionerId]).size ||
        supervisorId === practitionerId
      ) {
        throw new Refusal(400, 'unknown_person', 'Both must be existing, different people.')
      }
      await db.transaction().execute(async (trx) => {
        const seq = new SeqAllocator(await lockCounter(trx, ctx.dialect))
        const added = await trx
          .insertInto('supervision')
          .values({ supervisor_id: supervisorId, practitioner_id: practitionerId })
          .onConflict((oc) => oc.columns(['supervisor_id', 'practitioner_id']).doNothing())
          .executeTakeFirst()
        if (Number(added.numInsertedOrUpdatedRows ?? 0n) === 0) return
        // The supervisor's devices are past these records already: move them up (S15).
        const clients = await trx
          .selectFrom('client_access')
          .select('client_id')
          .where('person_id', '=', practitionerId)
          .execute()
        const meta = {
          op: 'access',
          deviceId: null,
          personId: callerOf(request).personId,
          at: new Date().toISOString(),
        }
        await restampClients(
          trx,
          clients.map((c) => c.client_id),
          seq,
          meta,
        )
        await storeCounter(trx, seq.last)
      })
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'supervision_added',
        target: practitionerId,
        ip: request.ip,
        details: { supervisorId },
      })
      return { ok: true as const }
    },
  )

  app.get(
    '/api/admin/devices',
    { schema: { response: { 200: Type.Array(Device), ...errors } }, preHandler: adminOnly },
    async () => {
      const rows = await db
        .selectFrom('device_sessions')
        .selectAll()
        .orderBy('last_contact_at', 'desc')
        .execute()
      return rows.map((d) => ({
        id: d.id,
        personId: d.person_id,
        deviceName: d.device_name,
        createdAt: d.created_at,
        lastContactAt: d.last_contact_at,
        appVersion: d.app_version,
        revokedAt: d.revoked_at,
        wipe: d.wipe === 1,
      }))
    },
  )

  app.post(
    '/api/admin/devices/:id/revoke',
    { schema: { params: IdParams, response: { 200: Ok, ...errors } }, preHandler: adminOnly },
    async (request: FastifyRequest<{ Params: Static<typeof IdParams> }>) => {
      const r = await db
        .updateTable('device_sessions')
        .set({ revoked_at: new Date().toISOString(), wipe: 1 })
        .where('id', '=', request.params.id)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) === 0)
        throw new Refusal(404, 'not_found', 'No such device session.')
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'device_revoked',
        target: request.params.id,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )

  app.get(
    '/api/admin/audit',
    {
      schema: { querystring: AuditQuery, response: { 200: Type.Array(AuditEntry), ...errors } },
      preHandler: adminOnly,
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
