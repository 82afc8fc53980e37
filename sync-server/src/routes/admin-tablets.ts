// Administration of tablets: device sessions grouped by the tablet they were signed in on, with its name, app version and last contact.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { DEMO_SEED } from '../accounts/demo-records.ts'
import { renameDevice } from '../accounts/devices.ts'
import type { AppContext } from '../context.ts'
import { callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { RenameBody } from './devices.ts'
import { CLOSED, errors, IdParams, Ok } from './schemas.ts'

const Tablet = Type.Object(
  {
    /** The tablet's own id; a sign-in from an app too old to send one is a tablet of its own (its session id). */
    id: Type.String(),
    name: Type.String(),
    appVersion: Type.Union([Type.String(), Type.Null()]),
    lastContactAt: Type.String(),
    /** Who is signed in on it now (active device sessions), by name. */
    people: Type.Array(Type.String()),
    active: Type.Boolean(),
  },
  CLOSED,
)

export async function adminTabletRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { db } = opts.ctx

  app.get(
    '/api/admin/tablets',
    {
      schema: {
        summary: 'Tablets: one row per tablet, however many sign-ins it has had',
        response: { 200: Type.Array(Tablet), ...errors },
      },
    },
    async () => {
      const rows = await db
        .selectFrom('device_sessions')
        .innerJoin('people', 'people.id', 'device_sessions.person_id')
        .leftJoin('devices', 'devices.id', 'device_sessions.device_id')
        .select([
          'device_sessions.id as sessionId',
          'device_sessions.device_id as deviceId',
          'device_sessions.device_name as sessionName',
          'device_sessions.app_version as sessionVersion',
          'device_sessions.last_contact_at as lastContactAt',
          'device_sessions.revoked_at as revokedAt',
          'devices.name as deviceName',
          'devices.app_version as deviceVersion',
          'people.display_name as personName',
        ])
        .where((eb) =>
          eb.or([
            eb('device_sessions.revoked_reason', 'is', null),
            eb('device_sessions.revoked_reason', '!=', DEMO_SEED),
          ]),
        )
        .orderBy('device_sessions.last_contact_at', 'desc')
        .execute()
      const tablets = new Map<string, Static<typeof Tablet>>()
      // Newest contact first: the first row of a tablet carries its latest facts.
      for (const r of rows) {
        const id = r.deviceId ?? r.sessionId
        const tablet = tablets.get(id) ?? {
          id,
          name: r.deviceName ?? r.sessionName,
          appVersion: r.deviceVersion ?? r.sessionVersion,
          lastContactAt: r.lastContactAt,
          people: [],
          active: false,
        }
        if (r.revokedAt === null) {
          tablet.active = true
          if (!tablet.people.includes(r.personName)) tablet.people.push(r.personName)
        }
        tablets.set(id, tablet)
      }
      return [...tablets.values()]
    },
  )

  app.put(
    '/api/admin/tablets/:id',
    {
      schema: {
        summary: 'Rename a tablet',
        params: IdParams,
        body: RenameBody,
        response: { 200: Ok, ...errors },
      },
    },
    async (
      request: FastifyRequest<{ Params: Static<typeof IdParams>; Body: Static<typeof RenameBody> }>,
    ) => {
      const { id } = request.params
      const name = request.body.name.trim()
      if (!(await renameDevice(db, id, name))) {
        // A sign-in from an app that sent no tablet id: its one device session is the tablet.
        const r = await db
          .updateTable('device_sessions')
          .set({ device_name: name })
          .where('id', '=', id)
          .where('device_id', 'is', null)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) throw new Refusal(404, 'not_found', 'No such tablet.')
      }
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'device_renamed',
        target: id,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )

  app.post(
    '/api/admin/tablets/:id/revoke',
    {
      schema: {
        summary: 'Sign every person out of a tablet; it wipes itself at its next contact',
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request: FastifyRequest<{ Params: Static<typeof IdParams> }>) => {
      const { id } = request.params
      const r = await db
        .updateTable('device_sessions')
        .set({ revoked_at: new Date().toISOString(), wipe: 1 })
        .where((eb) => eb.or([eb('device_id', '=', id), eb('id', '=', id)]))
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) === 0)
        throw new Refusal(404, 'not_found', 'No such tablet signed in.')
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'device_revoked',
        target: id,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )
}
