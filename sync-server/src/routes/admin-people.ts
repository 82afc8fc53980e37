// Administration of existing people: reactivate, reset password or two-factor, edit, hand over clients.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { reactivatePerson } from '../accounts/deactivation.ts'
import { handOverClients } from '../accounts/handover.ts'
import { listPeople } from '../accounts/people.ts'
import { clearTwoFactor } from '../accounts/two-factor.ts'
import { hashPassword } from '../auth/passwords.ts'
import type { AppContext } from '../context.ts'
import { callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { lockCounter, SeqAllocator, storeCounter } from '../sync/store.ts'
import {
  CLOSED,
  errors,
  Id,
  IdParams,
  NewPassword,
  Ok,
  PersonView,
  RoleSchema,
  Text,
} from './schemas.ts'

const PasswordBody = Type.Object({ newPassword: NewPassword }, { additionalProperties: false })
const EditBody = Type.Object(
  {
    displayName: Type.Optional(Text(1, 100)),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 4, uniqueItems: true })),
    unitIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
)
const HandoverBody = Type.Object({ toPersonId: Id }, { additionalProperties: false })
const Moved = Type.Object({ ok: Type.Literal(true), clients: Type.Integer() }, CLOSED)

type ById<B = unknown> = FastifyRequest<{ Params: Static<typeof IdParams>; Body: B }>

export async function adminPeopleRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const personExists = async (id: string) =>
    (await db.selectFrom('people').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined

  app.post(
    '/api/admin/people/:id/reactivate',
    { schema: { params: IdParams, response: { 200: Ok, ...errors } } },
    async (request: ById) => {
      const { id } = request.params
      if (!(await reactivatePerson(db, id, new Date(ctx.now()).toISOString())))
        throw new Refusal(404, 'not_found', 'No such person.')
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'person_reactivated',
        target: id,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )

  app.post(
    '/api/admin/people/:id/two-factor/reset',
    {
      schema: {
        summary:
          "Reset a person's two-factor sign-in (lost phone): they enrol again at their next sign-in",
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request: ById) => {
      const { id } = request.params
      if (!(await personExists(id))) throw new Refusal(404, 'not_found', 'No such person.')
      if (!(await clearTwoFactor(db, id))) {
        throw new Refusal(409, 'not_enrolled', 'This person has no two-factor sign-in to reset.')
      }
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'two_factor_reset',
        target: id,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )

  app.post(
    '/api/admin/people/:id/password',
    {
      schema: { params: IdParams, body: PasswordBody, response: { 200: Ok, ...errors } },
    },
    async (request: ById<Static<typeof PasswordBody>>) => {
      const { id } = request.params
      if (!(await personExists(id))) throw new Refusal(404, 'not_found', 'No such person.')
      const hash = await hashPassword(request.body.newPassword)
      await db.transaction().execute(async (trx) => {
        // The administrator knows this password: the person must choose their own at sign-in.
        await trx
          .updateTable('people')
          .set({ password_hash: hash, must_change_password: 1 })
          .where('id', '=', id)
          .execute()
        // Whoever knew the old password is signed out everywhere; the records on the devices stay.
        await trx
          .updateTable('device_sessions')
          .set({ revoked_at: new Date().toISOString() })
          .where('person_id', '=', id)
          .where('revoked_at', 'is', null)
          .execute()
      })
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'password_reset',
        target: id,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )

  app.patch(
    '/api/admin/people/:id',
    {
      schema: { params: IdParams, body: EditBody, response: { 200: PersonView, ...errors } },
    },
    async (request: ById<Static<typeof EditBody>>) => {
      const { id } = request.params
      const body = request.body
      const caller = callerOf(request)
      if (!(await personExists(id))) throw new Refusal(404, 'not_found', 'No such person.')
      if (
        id === caller.personId &&
        body.roles &&
        !(body.roles as readonly string[]).includes('admin')
      )
        throw new Refusal(400, 'cannot_demote_self', 'You cannot remove your own admin role.')
      if (body.unitIds && body.unitIds.length > 0) {
        const known = await db
          .selectFrom('units')
          .select('id')
          .where('id', 'in', body.unitIds)
          .execute()
        if (known.length !== body.unitIds.length)
          throw new Refusal(400, 'unknown_unit', 'Unknown unit id.')
      }
      await db.transaction().execute(async (trx) => {
        if (body.displayName !== undefined)
          await trx
            .updateTable('people')
            .set({ display_name: body.displayName.trim() })
            .where('id', '=', id)
            .execute()
        if (body.roles) {
          await trx.deleteFrom('person_roles').where('person_id', '=', id).execute()
          for (const role of body.roles)
            await trx.insertInto('person_roles').values({ person_id: id, role }).execute()
        }
        if (body.unitIds) {
          await trx.deleteFrom('unit_members').where('person_id', '=', id).execute()
          for (const unitId of body.unitIds)
            await trx
              .insertInto('unit_members')
              .values({ unit_id: unitId, person_id: id })
              .execute()
        }
      })
      await audit(db, {
        actorId: caller.personId,
        action: 'person_edited',
        target: id,
        ip: request.ip,
        details: { fields: Object.keys(body).sort().join(',') },
      })
      return (await listPeople(db)).find((p) => p.id === id)
    },
  )

  app.post(
    '/api/admin/people/:id/handover',
    {
      schema: { params: IdParams, body: HandoverBody, response: { 200: Moved, ...errors } },
    },
    async (request: ById<Static<typeof HandoverBody>>) => {
      const fromId = request.params.id
      const { toPersonId } = request.body
      const from = await db
        .selectFrom('people')
        .select('active')
        .where('id', '=', fromId)
        .executeTakeFirst()
      if (!from) throw new Refusal(404, 'not_found', 'No such person.')
      if (from.active === 1)
        throw new Refusal(409, 'still_active', 'Deactivate the person before handing over.')
      const to = await db
        .selectFrom('people')
        .innerJoin('person_roles', 'person_roles.person_id', 'people.id')
        .select('people.id')
        .where('people.id', '=', toPersonId)
        .where('people.active', '=', 1)
        .where('person_roles.role', '=', 'practitioner')
        .executeTakeFirst()
      if (!to || toPersonId === fromId)
        throw new Refusal(400, 'not_a_practitioner', 'Hand over to another active practitioner.')
      const caller = callerOf(request)
      const moved = await db.transaction().execute(async (trx) => {
        const seq = new SeqAllocator(await lockCounter(trx, ctx.dialect))
        const meta = {
          op: 'access',
          deviceId: null,
          personId: caller.personId,
          at: new Date().toISOString(),
        }
        const n = await handOverClients(trx, fromId, toPersonId, seq, meta)
        await storeCounter(trx, seq.last)
        return n
      })
      await audit(db, {
        actorId: caller.personId,
        action: 'clients_handed_over',
        target: fromId,
        ip: request.ip,
        details: { toPersonId, clients: moved },
      })
      return { ok: true as const, clients: moved }
    },
  )
}
