// The one reports service: what a caller may see (his units, or every unit and the organisation; a supervisor his supervisees), the settings that apply, and suppression, over the episodes' kept facts.
import { type Kysely, sql } from 'kysely'
import {
  type Aggregates,
  type EpisodeFacts,
  episodeFacts,
  foldFacts,
  ORGANISATION_NODE,
  type Period,
  type ProtectedCell,
  type ProtectedYear,
  protectYear,
  type ReportScope,
} from '../../../src/core/index.ts'
import { supervisees } from '../accounts/people.ts'
import { readSettings } from '../accounts/settings.ts'
import type { AppContext } from '../context.ts'
import type { Dialect } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import type { Caller } from '../plugins/authenticate.ts'
import { loadEpisodesWithUnits } from './episodes.ts'
import { aggregateOptions, factsOf, factsReady } from './facts.ts'

export { ORGANISATION_NODE }

/** A caller's reachable units (ordered by name) and the figures of any period of them. */
export interface CallerReports {
  units: { id: string; name: string }[]
  /** Whether the caller sees the organisation (administrators only). */
  organisation: boolean
  cell(node: string, period: Period): Promise<ProtectedCell>
}

interface FactsRow {
  unitId: string | null
  facts: EpisodeFacts
}

interface FactsFilter {
  unitIds?: readonly string[]
  /** Only the clients this person may write (client_access). */
  clientsOf?: string
  /** Start dates, inclusive (YYYY-MM-DD). */
  from?: string
  to?: string
}

/**
 * Where facts come from: the kept table, selected in SQL by unit, client and start date; or,
 * while a rebuild after a settings change runs, computed from the records with the settings in
 * force (slow, but never figures of two settings mixed).
 */
async function factsSource(
  db: Kysely<Database>,
  dialect: Dialect,
): Promise<(f: FactsFilter) => Promise<FactsRow[]>> {
  const settings = await readSettings(db)
  if (await factsReady(db, settings))
    return async (f) => {
      if (f.unitIds?.length === 0) return []
      let q = db.selectFrom('episode_facts').select(['unit_id', 'facts'])
      if (f.unitIds) q = q.where('unit_id', 'in', f.unitIds)
      if (f.clientsOf)
        q = q.where(
          'client_id',
          'in',
          db.selectFrom('client_access').select('client_id').where('person_id', '=', f.clientsOf),
        )
      if (f.from) q = q.where('started_on', '>=', f.from)
      if (f.to) q = q.where('started_on', '<=', f.to)
      // In the code-unit order the core's fold counts clients by (PostgreSQL's default collation
      // may order otherwise; the fold would then sort each group again, right but slower).
      q = q.orderBy(dialect === 'postgres' ? sql`client_id collate "C"` : sql`client_id`)
      const rows = await q.execute()
      return rows.map((r) => ({ unitId: r.unit_id, facts: factsOf(r) }))
    }
  const options = aggregateOptions(settings)
  return async (f) => {
    const access = f.clientsOf
      ? await db
          .selectFrom('client_access')
          .select('client_id')
          .where('person_id', '=', f.clientsOf)
          .execute()
      : undefined
    const loaded = await loadEpisodesWithUnits(db, {
      ...(f.unitIds ? { unitIds: f.unitIds } : {}),
      ...(access ? { clientIds: access.map((a) => a.client_id) } : {}),
    })
    return loaded
      .filter(({ episode }) => {
        const day = episode.startedAt.slice(0, 10)
        return (!f.from || day >= f.from) && (!f.to || day <= f.to)
      })
      .map(({ episode, unitId }) => ({ unitId, facts: episodeFacts(episode, options) }))
  }
}

/**
 * An administrator's scope is every unit plus the organisation; a leader's is the units he is a
 * member of, each on its own and never the organisation, whose difference from his units would
 * be the other units, figures he is refused (and, with two units, one small unit exactly). Every
 * route answers from the same scope, so no two answers to one person can be subtracted into a
 * hidden figure. Each calendar year is protected whole (protectYear), so a year's facts are
 * selected whole, once per request.
 */
export async function reportsFor(ctx: AppContext, caller: Caller): Promise<CallerReports> {
  const admin = caller.roles.includes('admin')
  let units = ctx.db.selectFrom('units').select(['id', 'name']).orderBy('name').orderBy('id')
  if (!admin)
    units = units.where(
      'id',
      'in',
      ctx.db.selectFrom('unit_members').select('unit_id').where('person_id', '=', caller.personId),
    )
  const unitRows = await units.execute()
  const unitIds = unitRows.map((u) => u.id)
  const select = await factsSource(ctx.db, ctx.dialect)
  const years = new Map<number, Promise<ProtectedYear>>()
  const protect = async (year: number): Promise<ProtectedYear> => {
    const y = String(year).padStart(4, '0')
    const rows = await select({
      ...(admin ? {} : { unitIds }),
      from: `${y}-01-01`,
      to: `${y}-12-31`,
    })
    const byUnit = new Map<string, EpisodeFacts[]>(unitIds.map((id) => [id, []]))
    const rest: EpisodeFacts[] = []
    for (const { unitId, facts } of rows) {
      const list = unitId === null ? undefined : byUnit.get(unitId)
      if (list) list.push(facts)
      else rest.push(facts)
    }
    const scope: ReportScope = admin ? { units: byUnit, organisation: { rest } } : { units: byUnit }
    return protectYear(scope, year)
  }
  return {
    units: unitRows,
    organisation: admin,
    async cell(node, period) {
      const year = Number(period.from.slice(0, 4))
      let protectedYear = years.get(year)
      if (!protectedYear) {
        protectedYear = protect(year)
        years.set(year, protectedYear)
      }
      const cell = (await protectedYear).get(node, period)
      if (!cell) throw new Error('A report cell outside the caller’s scope was asked for.')
      return cell
    },
  }
}

/**
 * A supervisee's figures over the episodes of his clients started in the period, or null when
 * the person is not the supervisor's supervisee. Not suppressed: a supervisor reads these
 * clients' records one by one anyway (docs/reports.md).
 */
export async function superviseeFigures(
  ctx: AppContext,
  supervisor: Caller,
  personId: string,
  period: { from?: string | undefined; to?: string | undefined },
): Promise<{ n: number; aggregates: Aggregates } | null> {
  if (!(await supervisees(ctx.db, supervisor.personId)).includes(personId)) return null
  const select = await factsSource(ctx.db, ctx.dialect)
  const rows = await select({
    clientsOf: personId,
    ...(period.from ? { from: period.from } : {}),
    ...(period.to ? { to: period.to } : {}),
  })
  return { n: rows.length, aggregates: foldFacts(rows.map((r) => r.facts)) }
}
