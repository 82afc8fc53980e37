// Unit reports for leaders: core computeAggregates over the unit's episodes, small groups suppressed. No client records leave.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { computeAggregates, suppressSmallGroups } from '../../../src/core/index.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf, refuse } from '../plugins/authenticate.ts'
import { loadEpisodes } from '../reports/episodes.ts'
import { errors, Id } from './schemas.ts'

const SummaryQuery = Type.Object({ unitId: Id }, { additionalProperties: false })
const SummaryReply = Type.Object({
  unitId: Type.String(),
  unitName: Type.String(),
  aggregates: Type.Unknown(),
})

export async function reportRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts
  const { db } = ctx

  app.get(
    '/api/reports/summary',
    {
      schema: {
        summary: 'Aggregates of one unit (suppressed below the minimum group size)',
        querystring: SummaryQuery,
        response: { 200: SummaryReply, ...errors },
      },
      preHandler: authenticate(ctx, ['leader', 'admin']),
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof SummaryQuery> }>, reply) => {
      const caller = callerOf(request)
      const { unitId } = request.query
      const unit = await db
        .selectFrom('units')
        .selectAll()
        .where('id', '=', unitId)
        .executeTakeFirst()
      if (!unit) return refuse(reply, 404, 'not_found', 'No such unit.')
      if (!caller.roles.includes('admin')) {
        const member = await db
          .selectFrom('unit_members')
          .select('unit_id')
          .where('unit_id', '=', unitId)
          .where('person_id', '=', caller.personId)
          .executeTakeFirst()
        if (!member) return refuse(reply, 403, 'forbidden', 'You lead other units.')
      }
      const episodes = await loadEpisodes(db, { unitIds: [unitId] })
      return {
        unitId,
        unitName: unit.name,
        aggregates: suppressSmallGroups(computeAggregates(episodes)),
      }
    },
  )
}
