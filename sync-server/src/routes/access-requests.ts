// A unit leader's requests to the administrator: a joiner's account, a leaver's last day; only for the leader's own units.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { listAccessRequests, unitsOfPerson } from '../accounts/access-requests.ts'
import { audit } from '../accounts/audit.ts'
import { usernameFrom } from '../accounts/directory-groups.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { AccessRequestView, CalendarDate, CLOSED, errors, Id, Text, Username } from './schemas.ts'

/** Roles a leader may ask for; the administrator's role is given by the administrator only. */
const RequestableRole = Type.Union([
  Type.Literal('practitioner'),
  Type.Literal('supervisor'),
  Type.Literal('leader'),
])
export const Email = Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' })

const JoinerBody = Type.Object(
  {
    kind: Type.Literal('joiner'),
    unitId: Id,
    displayName: Text(1, 100),
    username: Type.Optional(Username),
    email: Type.Optional(Email),
    role: RequestableRole,
  },
  { additionalProperties: false },
)
const LeaverBody = Type.Object(
  { kind: Type.Literal('leaver'), unitId: Id, personId: Id, lastDay: CalendarDate },
  { additionalProperties: false },
)
const RequestBody = Type.Union([JoinerBody, LeaverBody])

const StaffMember = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    username: Type.String(),
    unitIds: Type.Array(Type.String()),
    accessEndsAt: Type.Union([Type.String(), Type.Null()]),
  },
  CLOSED,
)
const LeaderView = Type.Object(
  {
    units: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }, CLOSED)),
    staff: Type.Array(StaffMember),
    requests: Type.Array(AccessRequestView),
  },
  CLOSED,
)

export async function accessRequestRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const leaderOnly = authenticate(ctx, ['leader'])

  app.get(
    '/api/access-requests',
    {
      schema: {
        summary: "A unit leader's units, their active staff and the leader's requests for them",
        response: { 200: LeaderView, ...errors },
      },
      preHandler: leaderOnly,
    },
    async (request) => {
      const unitIds = await unitsOfPerson(db, callerOf(request).personId)
      if (unitIds.length === 0) return { units: [], staff: [], requests: [] }
      const units = await db
        .selectFrom('units')
        .select(['id', 'name'])
        .where('id', 'in', unitIds)
        .orderBy('name')
        .execute()
      const members = await db
        .selectFrom('unit_members')
        .innerJoin('people', 'people.id', 'unit_members.person_id')
        .select([
          'people.id',
          'people.display_name',
          'people.username',
          'people.access_ends_at',
          'unit_members.unit_id',
        ])
        .where('unit_members.unit_id', 'in', unitIds)
        .where('people.active', '=', 1)
        .orderBy('people.display_name')
        .execute()
      const staff = new Map<string, Static<typeof StaffMember>>()
      for (const m of members) {
        const known = staff.get(m.id)
        if (known) known.unitIds.push(m.unit_id)
        else
          staff.set(m.id, {
            id: m.id,
            displayName: m.display_name,
            username: m.username,
            unitIds: [m.unit_id],
            accessEndsAt: m.access_ends_at,
          })
      }
      return {
        units,
        staff: [...staff.values()],
        requests: await listAccessRequests(db, unitIds, 100),
      }
    },
  )

  app.post(
    '/api/access-requests',
    {
      schema: {
        summary: "A unit leader asks for a joiner's account or reports a leaver's last day",
        body: RequestBody,
        response: { 201: AccessRequestView, ...errors },
      },
      preHandler: leaderOnly,
    },
    async (request: FastifyRequest<{ Body: Static<typeof RequestBody> }>, reply) => {
      const body = request.body
      const caller = callerOf(request)
      const unitIds = await unitsOfPerson(db, caller.personId)
      if (!unitIds.includes(body.unitId))
        throw new Refusal(403, 'not_your_unit', 'You can only ask for access in your own units.')
      const id = randomUUID()
      const now = new Date(ctx.now()).toISOString()
      const base = {
        id,
        kind: body.kind,
        status: 'open' as const,
        unit_id: body.unitId,
        requested_by: caller.personId,
        requested_at: now,
      }
      if (body.kind === 'joiner') {
        if (body.username === undefined && body.email === undefined)
          throw new Refusal(400, 'username_or_email', 'Give a username or an e-mail address.')
        const username = (body.username ?? usernameFrom(body.email ?? '')).toLowerCase()
        const taken = await db
          .selectFrom('people')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirst()
        if (taken) throw new Refusal(409, 'username_taken', 'That username is taken.')
        await db
          .insertInto('access_requests')
          .values({
            ...base,
            display_name: body.displayName.trim(),
            username,
            email: body.email ?? null,
            role: body.role,
          })
          .execute()
      } else {
        const member = await db
          .selectFrom('unit_members')
          .innerJoin('people', 'people.id', 'unit_members.person_id')
          .select('people.id')
          .where('unit_members.unit_id', '=', body.unitId)
          .where('people.id', '=', body.personId)
          .where('people.active', '=', 1)
          .executeTakeFirst()
        if (!member)
          throw new Refusal(404, 'not_in_unit', 'No active member of that unit has this id.')
        const open = await db
          .selectFrom('access_requests')
          .select('id')
          .where('person_id', '=', body.personId)
          .where('kind', '=', 'leaver')
          .where('status', '=', 'open')
          .executeTakeFirst()
        if (open)
          throw new Refusal(409, 'already_requested', 'A report for this person is already open.')
        await db
          .insertInto('access_requests')
          .values({ ...base, person_id: body.personId, last_day: body.lastDay })
          .execute()
      }
      await audit(db, {
        actorId: caller.personId,
        action: 'access_requested',
        target: body.kind === 'leaver' ? body.personId : id,
        ip: request.ip,
        details: { kind: body.kind, request: id, unitId: body.unitId },
      })
      const [view] = (await listAccessRequests(db, [body.unitId])).filter((r) => r.id === id)
      return reply.code(201).send(view)
    },
  )
}
