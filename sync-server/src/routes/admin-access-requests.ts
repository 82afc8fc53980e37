// The administrator's side of access requests: every request, and approving (a joiner's account, a leaver's end date) or refusing each in one step.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import type { Role } from '../../../src/core/sync-protocol.ts'
import { listAccessRequests } from '../accounts/access-requests.ts'
import { audit } from '../accounts/audit.ts'
import { endIfOver, endOfLastDay } from '../accounts/leavers.ts'
import { createPerson } from '../accounts/people.ts'
import type { AppContext } from '../context.ts'
import { callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { AccessRequestView, errors, IdParams, NewPassword } from './schemas.ts'

const ApproveBody = Type.Object(
  { password: Type.Optional(NewPassword) },
  { additionalProperties: false },
)

type ById<B = unknown> = FastifyRequest<{ Params: Static<typeof IdParams>; Body: B }>

export async function adminAccessRequestRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx

  const openRequest = async (id: string) => {
    const r = await db
      .selectFrom('access_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    if (!r) throw new Refusal(404, 'not_found', 'No such request.')
    if (r.status !== 'open')
      throw new Refusal(409, 'already_decided', 'This request was already decided.')
    return r
  }
  const view = async (id: string) =>
    (await listAccessRequests(db, null, 1000)).find((r) => r.id === id)

  app.get(
    '/api/admin/access-requests',
    {
      schema: {
        summary: 'Access requests from unit leaders, open ones first',
        response: { 200: Type.Array(AccessRequestView), ...errors },
      },
    },
    async () => listAccessRequests(db, null),
  )

  app.post(
    '/api/admin/access-requests/:id/approve',
    {
      schema: {
        summary:
          "Approve: a joiner's account is made (with the first password given here); a leaver's access ends after the last day",
        params: IdParams,
        body: ApproveBody,
        response: { 200: AccessRequestView, ...errors },
      },
    },
    async (request: ById<Static<typeof ApproveBody>>) => {
      const r = await openRequest(request.params.id)
      const caller = callerOf(request)
      const nowMs = ctx.now()
      const now = new Date(nowMs).toISOString()
      let personId = r.person_id
      if (r.kind === 'joiner') {
        const password = request.body.password
        if (password === undefined)
          throw new Refusal(
            400,
            'password_required',
            'Give the first password for the new account.',
          )
        const username = r.username ?? ''
        const taken = await db
          .selectFrom('people')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirst()
        if (taken) throw new Refusal(409, 'username_taken', 'That username is taken.')
        const unit = await db
          .selectFrom('units')
          .select('retired')
          .where('id', '=', r.unit_id)
          .executeTakeFirst()
        personId = await createPerson(db, {
          username,
          displayName: r.display_name ?? username,
          password,
          roles: [(r.role ?? 'practitioner') as Role],
          unitIds: unit && unit.retired === 0 ? [r.unit_id] : [],
        })
        if (r.email !== null)
          await db
            .updateTable('people')
            .set({ email: r.email })
            .where('id', '=', personId)
            .execute()
        await audit(db, {
          actorId: caller.personId,
          action: 'person_created',
          target: personId,
          ip: request.ip,
        })
      } else if (personId !== null) {
        const accessEndsAt = endOfLastDay(r.last_day ?? '')
        await db
          .updateTable('people')
          .set({ access_ends_at: accessEndsAt })
          .where('id', '=', personId)
          .execute()
      }
      await db
        .updateTable('access_requests')
        .set({
          status: 'approved',
          person_id: personId,
          decided_by: caller.personId,
          decided_at: now,
        })
        .where('id', '=', r.id)
        .execute()
      await audit(db, {
        actorId: caller.personId,
        action: 'access_request_approved',
        target: personId,
        ip: request.ip,
        details: { kind: r.kind, request: r.id },
      })
      // A last day already over (reported late) ends access at once.
      if (r.kind === 'leaver' && personId !== null) {
        const person = await db
          .selectFrom('people')
          .select(['id', 'active', 'access_ends_at'])
          .where('id', '=', personId)
          .executeTakeFirst()
        if (person) await endIfOver(db, person, nowMs)
      }
      return view(r.id)
    },
  )

  app.post(
    '/api/admin/access-requests/:id/refuse',
    {
      schema: {
        summary: 'Refuse an access request: nothing changes for anyone',
        params: IdParams,
        response: { 200: AccessRequestView, ...errors },
      },
    },
    async (request: ById) => {
      const r = await openRequest(request.params.id)
      const caller = callerOf(request)
      await db
        .updateTable('access_requests')
        .set({
          status: 'refused',
          decided_by: caller.personId,
          decided_at: new Date(ctx.now()).toISOString(),
        })
        .where('id', '=', r.id)
        .execute()
      await audit(db, {
        actorId: caller.personId,
        action: 'access_request_refused',
        target: r.person_id ?? r.id,
        ip: request.ip,
        details: { kind: r.kind, request: r.id },
      })
      return view(r.id)
    },
  )
}
