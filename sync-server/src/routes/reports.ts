// Unit reports for leaders: core computeAggregates over the unit's episodes, small groups suppressed. No client records leave.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import {
  type AdministrationRecord,
  type AgeGroup,
  computeAggregates,
  type EpisodeRecord,
  suppressSmallGroups,
} from '../../../src/core/index.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf, refuse } from '../plugins/authenticate.ts'
import { errors, Id } from './schemas.ts'

const SummaryQuery = Type.Object({ unitId: Id }, { additionalProperties: false })
const SummaryReply = Type.Object({
  unitId: Type.String(),
  unitName: Type.String(),
  aggregates: Type.Unknown(),
})

type Json = Record<string, unknown>

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
      const rows = await db
        .selectFrom('records')
        .select(['id', 'entity', 'client_id', 'voided', 'superseded_by', 'payload'])
        .where('unit_id', '=', unitId)
        .execute()
      const ageGroups = new Map<string, AgeGroup>()
      const forms = new Map<string, AdministrationRecord[]>()
      for (const r of rows) {
        const p = JSON.parse(r.payload) as Json
        if (r.entity === 'client') ageGroups.set(r.id, p.ageGroup as AgeGroup)
        if (r.entity === 'administration') {
          const list = forms.get(String(p.episodeId)) ?? []
          list.push({
            id: r.id,
            instrumentId: p.instrumentId as AdministrationRecord['instrumentId'],
            items: p.items as Record<string, number>,
            total: Number(p.total),
            session: Number(p.session),
            markedAt: String(p.markedAt),
            rater: p.rater as AdministrationRecord['rater'],
            status: p.status as AdministrationRecord['status'],
            voided: r.voided === 1,
            supersededBy: r.superseded_by,
          })
          forms.set(String(p.episodeId), list)
        }
      }
      const episodes: EpisodeRecord[] = []
      for (const r of rows) {
        if (r.entity !== 'episode') continue
        const p = JSON.parse(r.payload) as Json
        episodes.push({
          id: r.id,
          clientId: r.client_id,
          ageGroup: ageGroups.get(r.client_id) ?? 'adult',
          startedAt: String(p.startedAt),
          endedAt: (p.endedAt as string | null) ?? null,
          ending: (p.ending as EpisodeRecord['ending']) ?? null,
          administrations: forms.get(r.id) ?? [],
        })
      }
      return {
        unitId,
        unitName: unit.name,
        aggregates: suppressSmallGroups(computeAggregates(episodes)),
      }
    },
  )
}
