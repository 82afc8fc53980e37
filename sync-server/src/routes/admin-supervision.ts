// Supervision links: an administrator links a supervisor to a practitioner, or removes the link.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { type AuditAction, audit } from '../accounts/audit.ts'
import type { AppContext } from '../context.ts'
import { callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { restampClients } from '../sync/restamp.ts'
import { lockCounter, SeqAllocator, storeCounter } from '../sync/store.ts'
import { errors, Id, Ok } from './schemas.ts'

const SupervisionBody = Type.Object(
  { supervisorId: Id, practitionerId: Id },
  { additionalProperties: false },
)
type Link = { Body: Static<typeof SupervisionBody> }
type LinkRequest = FastifyRequest<Link>

export async function adminSupervisionRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const route = { schema: { body: SupervisionBody, response: { 200: Ok, ...errors } } }
  const logged = async (request: LinkRequest, action: AuditAction) => {
    await audit(db, {
      actorId: callerOf(request).personId,
      action,
      target: request.body.practitionerId,
      ip: request.ip,
      details: { supervisorId: request.body.supervisorId },
    })
    return { ok: true as const }
  }

  app.post<Link>('/api/admin/supervision', route, async (request: LinkRequest) => {
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
    return logged(request, 'supervision_added')
  })

  // A POST, not a DELETE: the link is named in the body, and not every client sends a body with DELETE.
  app.post<Link>('/api/admin/supervision/remove', route, async (request: LinkRequest) => {
    const { supervisorId, practitionerId } = request.body
    const r = await db
      .deleteFrom('supervision')
      .where('supervisor_id', '=', supervisorId)
      .where('practitioner_id', '=', practitionerId)
      .executeTakeFirst()
    if (Number(r.numDeletedRows) === 0)
      throw new Refusal(404, 'not_found', 'No such supervision link.')
    return logged(request, 'supervision_removed')
  })
}
