// The tablet a person is signed in on: its name, as Innstillinger shows and changes it.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { renameDevice } from '../accounts/devices.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { errors } from './schemas.ts'

/** A tablet's name: what people tell tablets apart by in Administrasjon. */
export const DeviceName = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' })
export const RenameBody = Type.Object({ name: DeviceName }, { additionalProperties: false })
const CurrentDevice = Type.Object({ id: Type.String(), name: Type.String() })

export async function deviceRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { db } = opts.ctx
  const signedIn = authenticate(opts.ctx)

  async function currentDevice(deviceId: string | null) {
    if (!deviceId) return undefined
    return db
      .selectFrom('devices')
      .select(['id', 'name'])
      .where('id', '=', deviceId)
      .executeTakeFirst()
  }

  app.get(
    '/api/devices/current',
    {
      schema: {
        summary: 'The tablet this device session was signed in on',
        response: { 200: CurrentDevice, ...errors },
      },
      preHandler: signedIn,
    },
    async (request) => {
      const device = await currentDevice(callerOf(request).deviceId)
      if (!device) throw new Refusal(404, 'no_device', 'This sign-in named no tablet.')
      return device
    },
  )

  app.put(
    '/api/devices/current',
    {
      schema: {
        summary: 'Rename the tablet this device session was signed in on',
        body: RenameBody,
        response: { 200: CurrentDevice, ...errors },
      },
      preHandler: signedIn,
    },
    async (request: FastifyRequest<{ Body: Static<typeof RenameBody> }>) => {
      const caller = callerOf(request)
      const name = request.body.name.trim()
      if (!caller.deviceId || !(await renameDevice(db, caller.deviceId, name))) {
        throw new Refusal(404, 'no_device', 'This sign-in named no tablet.')
      }
      await audit(db, {
        actorId: caller.personId,
        action: 'device_renamed',
        target: caller.deviceId,
        ip: request.ip,
      })
      return { id: caller.deviceId, name }
    },
  )
}
