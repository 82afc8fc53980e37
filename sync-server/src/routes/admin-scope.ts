// One scope for the administrator's routes: every route registered inside answers a signed-in admin only.
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { authenticate } from '../plugins/authenticate.ts'

export type RoutePlugin = (app: FastifyInstance, opts: { ctx: AppContext }) => Promise<void>

/**
 * Registers `routes` behind the admin guard, checked before each handler (after the body's
 * schema, as a route's own preHandler was), so no admin route can be added without it.
 */
export async function adminScope(
  app: FastifyInstance,
  opts: { ctx: AppContext; routes: readonly RoutePlugin[] },
): Promise<void> {
  app.addHook('preHandler', authenticate(opts.ctx, ['admin']))
  for (const routes of opts.routes) await app.register(routes, { ctx: opts.ctx })
}
