// What one caller may see in reports (his units, or every unit and the organisation), protected year by year with the core's complementary suppression.
import {
  type AggregateOptions,
  type EpisodeRecord,
  ORGANISATION_NODE,
  type Period,
  type ProtectedCell,
  type ProtectedYear,
  protectYear,
  type ReportScope,
} from '../../../src/core/index.ts'
import { readSettings } from '../accounts/settings.ts'
import type { AppContext } from '../context.ts'
import type { Caller } from '../plugins/authenticate.ts'
import { loadEpisodesWithUnits } from './episodes.ts'

export { ORGANISATION_NODE }

/** A caller's reachable units (ordered by name) and the figures of any period of them. */
export interface CallerReports {
  units: { id: string; name: string }[]
  /** Whether the caller sees the organisation (administrators only). */
  organisation: boolean
  cell(node: string, period: Period): ProtectedCell
}

/**
 * An administrator's scope is every unit plus the organisation; a leader's is the units he is a
 * member of, each on its own and never the organisation, whose difference from his units would
 * be the other units, figures he is refused (and, with two units, one small unit exactly). Every
 * route answers from the same scope, so no two answers to one person can be subtracted into a
 * hidden figure.
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
  const loaded = await loadEpisodesWithUnits(ctx.db, admin ? {} : { unitIds })
  const byUnit = new Map<string, EpisodeRecord[]>(unitIds.map((id) => [id, []]))
  const rest: EpisodeRecord[] = []
  for (const { episode, unitId } of loaded) {
    const list = unitId === null ? undefined : byUnit.get(unitId)
    if (list) list.push(episode)
    else rest.push(episode)
  }
  const scope: ReportScope = admin ? { units: byUnit, organisation: { rest } } : { units: byUnit }
  const options = await aggregateOptions(ctx)
  const years = new Map<number, ProtectedYear>()
  return {
    units: unitRows,
    organisation: admin,
    cell(node, period) {
      const year = Number(period.from.slice(0, 4))
      let protectedYear = years.get(year)
      if (!protectedYear) {
        protectedYear = protectYear(scope, year, options)
        years.set(year, protectedYear)
      }
      const cell = protectedYear.get(node, period)
      if (!cell) throw new Error('A report cell outside the caller’s scope was asked for.')
      return cell
    },
  }
}

async function aggregateOptions(ctx: AppContext): Promise<AggregateOptions> {
  const settings = await readSettings(ctx.db)
  return {
    norms: settings.cutoffOverrides,
    ...(settings.trajectory ? { trajectory: settings.trajectory } : {}),
  }
}
