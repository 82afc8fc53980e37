// The one reports service: what a caller may see (his units, or every unit and the organisation; a supervisor his supervisees), the settings that apply, and suppression, over the episodes' kept facts.
import { sql } from 'kysely'
import {
  type Aggregates,
  type EpisodeFacts,
  episodeFacts,
  FactsFold,
  ORGANISATION_NODE,
  type Period,
  type ProtectedCell,
  type ProtectedYear,
  YearFolds,
} from '../../../src/core/index.ts'
import { supervisees } from '../accounts/people.ts'
import { readSettings } from '../accounts/settings.ts'
import type { AppContext } from '../context.ts'
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

interface FactsFilter {
  unitIds?: readonly string[]
  /** Only the clients this person may write (client_access). */
  clientsOf?: string
  /** One calendar year of start dates. */
  year?: number
  /** Start dates, inclusive (YYYY-MM-DD). */
  from?: string
  to?: string
}

/** Called with every selected episode's facts, each client's together (what FactsFold needs). */
type EachFacts = (unitId: string | null, facts: EpisodeFacts) => void

/**
 * Rows per page: a report holds one page of rows at a time, never a year of 25,000 episodes'
 * facts (at a million forms that was most of its peak memory), and the connection is free for
 * pushes between pages.
 */
export const REPORT_PAGE_ROWS = 2000

const byClientId = (a: { clientId: string }, b: { clientId: string }) =>
  a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0

/**
 * Where facts come from: the kept table, selected in SQL by unit, client and start date and read
 * in pages in client order; or, while a rebuild after a settings change runs, computed from the
 * records with the settings in force (slow, but never figures of two settings mixed).
 */
async function factsSource({
  db,
  dialect,
  reportPageRows: size,
}: AppContext): Promise<(f: FactsFilter, each: EachFacts) => Promise<void>> {
  const settings = await readSettings(db)
  // Keyset pages in the order of the (year, client, episode) indexes; PostgreSQL's default
  // collation would order otherwise than those indexes, which are built in "C".
  const collated = (column: 'client_id' | 'episode_id') =>
    dialect === 'postgres' ? sql`${sql.ref(column)} collate "C"` : sql.ref(column)
  if (await factsReady(db, settings))
    return async (f, each) => {
      if (f.unitIds?.length === 0) return
      const page = (after: EpisodeFacts | undefined) => {
        let q = db.selectFrom('episode_facts').select(['unit_id', 'facts'])
        if (f.unitIds) q = q.where('unit_id', 'in', f.unitIds)
        if (f.clientsOf)
          q = q.where(
            'client_id',
            'in',
            db.selectFrom('client_access').select('client_id').where('person_id', '=', f.clientsOf),
          )
        if (f.year !== undefined) q = q.where('started_year', '=', f.year)
        if (f.from) q = q.where('started_on', '>=', f.from)
        if (f.to) q = q.where('started_on', '<=', f.to)
        if (after)
          q = q.where(
            sql<boolean>`(${collated('client_id')}, ${collated('episode_id')}) > (${after.clientId}, ${after.episodeId})`,
          )
        return q
          .orderBy(collated('client_id'))
          .orderBy(collated('episode_id'))
          .limit(size)
          .execute()
      }
      for (let rows = await page(undefined); ; ) {
        const last = rows[rows.length - 1]
        // The next page is asked for before this one is folded, so PostgreSQL finds and sends it
        // while this process folds (at a million forms the report waited for 26 pages in turn).
        // SQLite answers in this thread anyway: there the query still runs after the fold.
        const next = rows.length === size && last ? page(factsOf(last)) : undefined
        try {
          for (const r of rows) each(r.unit_id, factsOf(r))
        } catch (error) {
          next?.catch(() => undefined)
          throw error
        }
        if (!next) return
        rows = await next
      }
    }
  const options = aggregateOptions(settings)
  return async (f, each) => {
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
    const year = f.year === undefined ? undefined : String(f.year).padStart(4, '0')
    const facts = loaded
      .filter(({ episode }) => {
        const day = episode.startedAt.slice(0, 10)
        return (
          (!year || day.startsWith(year)) && (!f.from || day >= f.from) && (!f.to || day <= f.to)
        )
      })
      .map(({ episode, unitId }) => ({ unitId, facts: episodeFacts(episode, options) }))
      .sort((a, b) => byClientId(a.facts, b.facts))
    for (const { unitId, facts: one } of facts) each(unitId, one)
  }
}

/**
 * An administrator's scope is every unit plus the organisation; a leader's is the units he is a
 * member of, each on its own and never the organisation, whose difference from his units would
 * be the other units, figures he is refused (and, with two units, one small unit exactly). Every
 * route answers from the same scope, so no two answers to one person can be subtracted into a
 * hidden figure. Each calendar year is protected whole (YearFolds), so a year's facts are
 * read whole, once per request.
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
  const select = await factsSource(ctx)
  const years = new Map<number, Promise<ProtectedYear>>()
  const protect = async (year: number): Promise<ProtectedYear> => {
    // Every row goes straight into the folds of its unit's (and the organisation's) month,
    // quarter and year: only one page of rows is held at a time.
    const folds = new YearFolds(year, unitIds, admin)
    await select({ ...(admin ? {} : { unitIds }), year }, (unitId, facts) =>
      folds.add(unitId, facts),
    )
    return folds.protect()
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
  const select = await factsSource(ctx)
  const fold = new FactsFold()
  let n = 0
  await select(
    {
      clientsOf: personId,
      ...(period.from ? { from: period.from } : {}),
      ...(period.to ? { to: period.to } : {}),
    },
    (_unit, facts) => {
      n += 1
      fold.add(facts)
    },
  )
  return { n, aggregates: fold.result() }
}
