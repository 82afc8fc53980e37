// The report figures one person can reach (units, the organisation, every month, quarter and year), hidden so that no hidden figure can be worked out from the shown ones.
import { type Aggregates, byClient, foldFacts, type ReportFigure } from './aggregates.ts'
import {
  type CellTruth,
  complementarySuppression,
  type Margin,
} from './complementary-suppression.ts'
import type { EpisodeFacts } from './episode-facts.ts'
import { type Period, periodsBetween } from './periods.ts'
import { MIN_CLIENTS_FOR_REPORT, suppressSmallGroups } from './suppression.ts'
import { AGE_GROUPS } from './types.ts'

/**
 * Everything one person may see in reports. A leader sees his units one by one and never their
 * sum with anyone else's (organisation minus his units would be the others); an administrator
 * sees every unit and the organisation, which also holds episodes in no unit (`rest`, never shown).
 */
export interface ReportScope {
  units: ReadonlyMap<string, readonly EpisodeFacts[]>
  organisation?: { rest: readonly EpisodeFacts[] }
}

/** The organisation's node in a protected year (unit ids never start with '*'). */
export const ORGANISATION_NODE = '*organisation'
const REST_NODE = '*rest'

export interface ProtectedCell {
  aggregates: Aggregates
  /** The whole group rests on 1..min−1 clients: every figure is hidden. */
  suppressed: boolean
}

/** One calendar year of a scope, every node by month, quarter and year. */
export interface ProtectedYear {
  get(node: string, period: Period): ProtectedCell | undefined
}

const HIDDEN: ReportFigure = { value: null, n: 0, clients: 0, suppressed: true }

/** Dotted paths of every figure ('clients.total', 'sessionRatingMean'), in the Aggregates' order. */
export function figurePaths(a: Aggregates): string[] {
  const out: string[] = []
  for (const [group, value] of Object.entries(a)) {
    if (typeof value !== 'object' || value === null) continue
    if ('value' in value && 'n' in value) out.push(group)
    else for (const sub of Object.keys(value)) out.push(`${group}.${sub}`)
  }
  return out
}

export function figureAt(a: Aggregates, path: string): ReportFigure {
  const [group, sub] = path.split('.') as [keyof Aggregates, string | undefined]
  const g = a[group] as unknown as Record<string, ReportFigure> | ReportFigure
  return (sub === undefined ? g : (g as Record<string, ReportFigure>)[sub]) as ReportFigure
}

function withHidden(a: Aggregates, paths: readonly string[], suppressed: boolean): Aggregates {
  const out = JSON.parse(JSON.stringify(a)) as Record<string, Record<string, ReportFigure>>
  for (const path of paths) {
    const [group, sub] = path.split('.') as [string, string | undefined]
    if (sub === undefined) (out as Record<string, unknown>)[group] = HIDDEN
    else (out[group] as Record<string, ReportFigure>)[sub] = HIDDEN
  }
  return { ...(out as unknown as Aggregates), suppressed }
}

/**
 * Figures of every node of the scope for every month, quarter and the whole of `year` (episodes by
 * start date), with small groups and small figures hidden and then complementary suppression over
 * every margin the person can subtract along: year = quarters, quarter = months, organisation =
 * units + rest, clients = age groups. Years share no margin (reports have no all-time view), so
 * each year is protected on its own and the same data always gives the same answer.
 */
export function protectYear(
  scope: ReportScope,
  year: number,
  minClients: number = MIN_CLIENTS_FOR_REPORT,
): ProtectedYear {
  const y = String(year).padStart(4, '0')
  const periods = (['year', 'quarter', 'month'] as const).flatMap((kind) =>
    periodsBetween(`${y}-01-01`, `${y}-12-31`, kind),
  )
  const nodes = new Map<string, readonly EpisodeFacts[]>(scope.units)
  if (scope.organisation) {
    nodes.set(REST_NODE, scope.organisation.rest)
    nodes.set(ORGANISATION_NODE, [...scope.units.values(), scope.organisation.rest].flat())
  }
  const cellKey = (node: string, p: Period) => `${node}|${p.key}`
  // In client order once per node: every period's slice keeps it, so no fold has to sort.
  const inYear = new Map(
    [...nodes].map(([node, episodes]) => [
      node,
      byClient(episodes.filter((e) => e.startedAt.slice(0, 4) === y)),
    ]),
  )
  // A year without episodes has nothing to hide (and reports may span a century of them).
  if ([...inYear.values()].every((list) => list.length === 0)) {
    const empty = foldFacts([])
    return {
      get: (node, period) =>
        nodes.has(node) && node !== REST_NODE && period.from.startsWith(y)
          ? { aggregates: empty, suppressed: false }
          : undefined,
    }
  }
  // Each period is a range of months of this year: a fact's month is read once, and every
  // period's slice is cut with two integer compares (the slices keep the client order).
  const monthOf = (date: string) => Number(date.slice(5, 7)) - 1
  const raw = new Map<string, Aggregates>()
  for (const [node, episodes] of inYear) {
    const months = Int8Array.from(episodes, (e) => monthOf(e.startedAt))
    for (const p of periods) {
      const first = monthOf(p.from)
      const last = monthOf(p.to)
      const slice: EpisodeFacts[] = []
      for (let i = 0; i < episodes.length; i++) {
        const m = months[i] as number
        if (m >= first && m <= last) slice.push(episodes[i] as EpisodeFacts)
      }
      raw.set(cellKey(node, p), foldFacts(slice))
    }
  }
  const paths = figurePaths(foldFacts([]))

  const nodeIds = [...nodes.keys()]
  const nodeIndex = new Map(nodeIds.map((n, i) => [n, i]))
  const periodIndex = new Map(periods.map((p, i) => [p.key, i]))
  const pathIndex = new Map(paths.map((p, i) => [p, i]))
  const at = (node: string, p: Period, path: string) =>
    ((nodeIndex.get(node) as number) * periods.length + (periodIndex.get(p.key) as number)) *
      paths.length +
    (pathIndex.get(path) as number)

  // Cells in the order of `at`: node, then period, then figure.
  const cells: CellTruth[] = []
  const primary: number[] = []
  for (const node of nodeIds)
    for (const p of periods) {
      const a = raw.get(cellKey(node, p)) as Aggregates
      const small = suppressSmallGroups(a, minClients)
      for (const path of paths) {
        const f = figureAt(a, path)
        if (node === REST_NODE || figureAt(small, path).suppressed) primary.push(cells.length)
        cells.push({ clients: f.clients, n: f.n, key: `${cellKey(node, p)}|${path}` })
      }
    }

  const margins: Margin[] = []
  const quarters = periods.filter((p) => p.kind === 'quarter')
  const months = periods.filter((p) => p.kind === 'month')
  const yearPeriod = periods.find((p) => p.kind === 'year') as Period
  for (const path of paths) {
    for (const node of nodeIds) {
      margins.push([at(node, yearPeriod, path), ...quarters.map((q) => at(node, q, path))])
      for (const q of quarters)
        margins.push([
          at(node, q, path),
          ...months.filter((m) => m.from >= q.from && m.to <= q.to).map((m) => at(node, m, path)),
        ])
    }
    if (scope.organisation)
      for (const p of periods)
        margins.push([
          at(ORGANISATION_NODE, p, path),
          ...[...scope.units.keys(), REST_NODE].map((u) => at(u, p, path)),
        ])
  }
  for (const node of nodeIds)
    for (const p of periods)
      margins.push([
        at(node, p, 'clients.total'),
        ...AGE_GROUPS.map((g) => at(node, p, `clients.${g}`)),
      ])

  const hidden = complementarySuppression(cells, margins, primary, minClients)
  return {
    get(node, period) {
      const a = raw.get(cellKey(node, period))
      if (!a || node === REST_NODE) return undefined
      const suppressed = suppressSmallGroups(a, minClients).suppressed
      const hide = paths.filter((path) => hidden.has(at(node, period, path)))
      return { aggregates: withHidden(a, hide, suppressed), suppressed }
    },
  }
}
