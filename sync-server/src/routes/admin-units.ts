// Units of the organisation: list, create, rename, retire. The organisation row is made with the first unit.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { CLOSED, errors, IdParams, Text } from './schemas.ts'

const Unit = Type.Object(
  { id: Type.String(), name: Type.String(), retired: Type.Boolean() },
  CLOSED,
)
const NewUnitBody = Type.Object({ name: Text(1, 100) }, { additionalProperties: false })

export async function adminUnitRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { db } = opts.ctx
  const allowed = authenticate(opts.ctx, ['admin', 'leader'])
  const adminOnly = authenticate(opts.ctx, ['admin'])

  app.get(
    '/api/admin/units',
    { schema: { response: { 200: Type.Array(Unit), ...errors } }, preHandler: allowed },
    async () => {
      const rows = await db.selectFrom('units').selectAll().orderBy('name').execute()
      return rows.map((u) => ({ id: u.id, name: u.name, retired: u.retired === 1 }))
    },
  )

  app.post(
    '/api/admin/units',
    { schema: { body: NewUnitBody, response: { 201: Unit, ...errors } }, preHandler: adminOnly },
    async (request: FastifyRequest<{ Body: Static<typeof NewUnitBody> }>, reply) => {
      const now = new Date().toISOString()
      let org = await db.selectFrom('organisations').select('id').executeTakeFirst()
      if (!org) {
        org = { id: randomUUID() }
        await db
          .insertInto('organisations')
          .values({ id: org.id, name: 'Organisation', created_at: now })
          .execute()
      }
      const id = randomUUID()
      const name = request.body.name.trim()
      await db
        .insertInto('units')
        .values({ id, organisation_id: org.id, name, retired: 0, created_at: now })
        .execute()
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'unit_created',
        target: id,
        ip: request.ip,
      })
      return reply.code(201).send({ id, name, retired: false })
    },
  )

  /** Renames or retires a unit; 404 when there is none with the id. */
  const changeUnit = async (
    request: FastifyRequest<{ Params: Static<typeof IdParams> }>,
    change: { name: string } | { retired: 1 },
    action: 'unit_renamed' | 'unit_retired',
  ) => {
    const r = await db
      .updateTable('units')
      .set(change)
      .where('id', '=', request.params.id)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) throw new Refusal(404, 'not_found', 'No such unit.')
    const u = await db
      .selectFrom('units')
      .selectAll()
      .where('id', '=', request.params.id)
      .executeTakeFirstOrThrow()
    await audit(db, {
      actorId: callerOf(request).personId,
      action,
      target: u.id,
      ip: request.ip,
    })
    return { id: u.id, name: u.name, retired: u.retired === 1 }
  }

  app.post(
    '/api/admin/units/:id/retire',
    { schema: { params: IdParams, response: { 200: Unit, ...errors } }, preHandler: adminOnly },
    (request: FastifyRequest<{ Params: Static<typeof IdParams> }>) =>
      changeUnit(request, { retired: 1 }, 'unit_retired'),
  )

  app.patch(
    '/api/admin/units/:id',
    {
      schema: { params: IdParams, body: NewUnitBody, response: { 200: Unit, ...errors } },
      preHandler: adminOnly,
    },
    (
      request: FastifyRequest<{
        Params: Static<typeof IdParams>
        Body: Static<typeof NewUnitBody>
      }>,
    ) => changeUnit(request, { name: request.body.name.trim() }, 'unit_renamed'),
  )
}
