// The report figures one person can reach (units, the organisation, every month, quarter and year), hidden so that no hidden figure can be worked out from the shown ones.
import { type Aggregates, FactsFold, foldFacts, type ReportFigure } from './aggregates.ts'
import { complementarySuppression, MarginPacker } from './complementary-suppression.ts'
import type { EpisodeFacts } from './episode-facts.ts'
import { type Period, periodsBetween } from './periods.ts'
import { hiddenAsSmall, MIN_CLIENTS_FOR_REPORT, suppressSmallGroups } from './suppression.ts'
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
  const folds = new YearFolds(year, [...scope.units.keys()], scope.organisation !== undefined)
  const all: [string | null, EpisodeFacts][] = []
  for (const [unit, facts] of scope.units) for (const f of facts) all.push([unit, f])
  for (const f of scope.organisation?.rest ?? []) all.push([null, f])
  // Stable: each client's facts together, as the reports' query gives them.
  all.sort(([, a], [, b]) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0))
  for (const [unit, f] of all) folds.add(unit, f)
  return folds.protect(minClients)
}

/**
 * One calendar year of a scope folded as its facts come: each fact goes into its node's (and the
 * organisation's) month, quarter and year at once, so nothing is kept but a FactsFold per cell.
 * Facts must come with each client's together (see FactsFold); facts of other years are ignored.
 */
export class YearFolds {
  private readonly y: string
  private readonly periods: Period[]
  private readonly nodes: string[]
  private readonly nodeIndex: Map<string, number>
  /** Per month (0–11), the periods that contain it. */
  private readonly periodsOfMonth: number[][]
  private readonly folds: FactsFold[]
  private count = 0

  constructor(
    year: number,
    private readonly units: readonly string[],
    private readonly organisation: boolean,
  ) {
    this.y = String(year).padStart(4, '0')
    this.periods = (['year', 'quarter', 'month'] as const).flatMap((kind) =>
      periodsBetween(`${this.y}-01-01`, `${this.y}-12-31`, kind),
    )
    this.nodes = [...units, ...(organisation ? [REST_NODE, ORGANISATION_NODE] : [])]
    this.nodeIndex = new Map(this.nodes.map((n, i) => [n, i]))
    const monthOf = (date: string) => Number(date.slice(5, 7)) - 1
    this.periodsOfMonth = Array.from({ length: 12 }, (_, m) =>
      this.periods.flatMap((p, i) => (monthOf(p.from) <= m && m <= monthOf(p.to) ? [i] : [])),
    )
    this.folds = Array.from(
      { length: this.nodes.length * this.periods.length },
      () => new FactsFold(),
    )
  }

  /** A fact of `unitId` (null or a unit outside the scope: the organisation's rest, if any). */
  add(unitId: string | null, f: EpisodeFacts): void {
    const s = f.startedAt
    if (!s.startsWith(this.y) || s.charCodeAt(4) !== 45) return
    const month = (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48) - 1
    const inPeriods = this.periodsOfMonth[month]
    if (!inPeriods) return
    let node = unitId === null ? undefined : this.nodeIndex.get(unitId)
    if (node === undefined || node >= this.units.length) {
      if (!this.organisation) return
      node = this.nodeIndex.get(REST_NODE) as number
    }
    this.count += 1
    const P = this.periods.length
    for (const j of inPeriods) (this.folds[node * P + j] as FactsFold).add(f)
    if (!this.organisation) return
    const org = (this.nodeIndex.get(ORGANISATION_NODE) as number) * P
    for (const j of inPeriods) (this.folds[org + j] as FactsFold).add(f)
  }

  /** Folds every cell and protects the year; no more facts after this. */
  protect(minClients: number = MIN_CLIENTS_FOR_REPORT): ProtectedYear {
    const { y, periods, nodes } = this
    const shown = (node: string, period: Period) =>
      this.nodeIndex.has(node) && node !== REST_NODE && period.from.startsWith(y)
    // A year without episodes has nothing to hide (and reports may span a century of them).
    if (this.count === 0) {
      const empty = foldFacts([])
      return {
        get: (node, period) =>
          shown(node, period) ? { aggregates: empty, suppressed: false } : undefined,
      }
    }
    const P = periods.length
    const periodIndex = new Map(periods.map((p, i) => [p.key, i]))
    // Each cell's figures are worked out from its fold when read, not kept: a year of 52 nodes
    // held 884 Aggregates (50,000 objects) for as long as the request, which the heap kept after.
    const cellOf = (node: string, p: Period): Aggregates | undefined => {
      const n = this.nodeIndex.get(node)
      const j = periodIndex.get(p.key)
      return n === undefined || j === undefined ? undefined : this.folds[n * P + j]?.result()
    }
    return protectCells(
      { nodes, periods, units: this.units, organisation: this.organisation, cellOf },
      minClients,
    )
  }
}

interface FoldedYear {
  nodes: readonly string[]
  periods: readonly Period[]
  units: readonly string[]
  organisation: boolean
  cellOf(node: string, p: Period): Aggregates | undefined
}

/** Small groups and small figures hidden, then complementary suppression over every margin. */
function protectCells(year: FoldedYear, minClients: number): ProtectedYear {
  const { nodes: nodeIds, periods } = year
  const paths = figurePaths(foldFacts([]))
  // Each path split once: the cells below read ~40 figures of every node and period.
  const readers = paths.map((path) => {
    const [group, sub] = path.split('.') as [keyof Aggregates, string | undefined]
    return sub === undefined
      ? (a: Aggregates) => a[group] as ReportFigure
      : (a: Aggregates) =>
          (a[group] as unknown as Record<string, ReportFigure>)[sub] as ReportFigure
  })
  const P = periods.length
  const F = paths.length
  const nodeIndex = new Map(nodeIds.map((n, i) => [n, i]))
  const periodIndex = new Map(periods.map((p, i) => [p.key, i]))
  const pathIndex = new Map(paths.map((p, i) => [p, i]))
  // Cells in the order node, then period, then figure.
  const cell = (node: number, period: number, figure: number) => (node * P + period) * F + figure
  const at = (node: string, p: Period, path: string) =>
    cell(
      nodeIndex.get(node) as number,
      periodIndex.get(p.key) as number,
      pathIndex.get(path) as number,
    )

  const size = nodeIds.length * P * F
  const clients = new Int32Array(size)
  const n = new Float64Array(size)
  const primary: number[] = []
  nodeIds.forEach((node, ni) => {
    periods.forEach((p, pi) => {
      const a = year.cellOf(node, p) as Aggregates
      const total = a.clients.total.clients
      readers.forEach((read, fi) => {
        const f = read(a)
        const i = cell(ni, pi, fi)
        clients[i] = f.clients
        n[i] = f.n
        if (node === REST_NODE || hiddenAsSmall(f, total, minClients)) primary.push(i)
      })
    })
  })
  const table = {
    clients,
    n,
    rank: keyRanks(
      nodeIds,
      periods.map((p) => p.key),
      paths,
    ),
  }

  const margins = new MarginPacker()
  const quarters = periods.filter((p) => p.kind === 'quarter')
  const months = periods.filter((p) => p.kind === 'month')
  const yearPeriod = periods.find((p) => p.kind === 'year') as Period
  const monthsOf = quarters.map((q) => months.filter((m) => m.from >= q.from && m.to <= q.to))
  const outside = [...year.units, REST_NODE]
  for (const path of paths) {
    for (const node of nodeIds) {
      margins.add(
        at(node, yearPeriod, path),
        quarters.map((q) => at(node, q, path)),
      )
      quarters.forEach((q, k) => {
        margins.add(
          at(node, q, path),
          (monthsOf[k] as Period[]).map((m) => at(node, m, path)),
        )
      })
    }
    if (year.organisation)
      for (const p of periods)
        margins.add(
          at(ORGANISATION_NODE, p, path),
          outside.map((u) => at(u, p, path)),
        )
  }
  for (const node of nodeIds)
    for (const p of periods)
      margins.add(
        at(node, p, 'clients.total'),
        AGE_GROUPS.map((g) => at(node, p, `clients.${g}`)),
      )

  const hidden = complementarySuppression(table, margins.packed(), primary, minClients)
  return {
    get(node, period) {
      const a = year.cellOf(node, period)
      if (!a || node === REST_NODE) return undefined
      const suppressed = suppressSmallGroups(a, minClients).suppressed
      const hide = paths.filter((path) => hidden.has(at(node, period, path)))
      return { aggregates: withHidden(a, hide, suppressed), suppressed }
    },
  }
}

/**
 * Each cell's rank among the keys `${node}|${period}|${path}` (complementary suppression's
 * tie-break), from the ranks of the parts: 36,000 keys a year are never written out. Comparing
 * the parts with their '|' equals comparing the whole keys when no node or period holds a '|'.
 */
function keyRanks(
  nodes: readonly string[],
  periods: readonly string[],
  paths: readonly string[],
): Int32Array {
  const P = periods.length
  const F = paths.length
  const rank = new Int32Array(nodes.length * P * F)
  if ([...nodes, ...periods].some((s) => s.includes('|'))) {
    const keys: string[] = []
    for (const node of nodes)
      for (const p of periods) for (const path of paths) keys.push(`${node}|${p}|${path}`)
    ranksOf(keys, '').forEach((r, i) => {
      rank[i] = r
    })
    return rank
  }
  const [byNode, byPeriod, byPath] = [
    ranksOf(nodes, '|'),
    ranksOf(periods, '|'),
    ranksOf(paths, ''),
  ]
  for (let ni = 0; ni < nodes.length; ni++)
    for (let pi = 0; pi < P; pi++)
      for (let fi = 0; fi < F; fi++)
        rank[(ni * P + pi) * F + fi] =
          ((byNode[ni] as number) * P + (byPeriod[pi] as number)) * F + (byPath[fi] as number)
  return rank
}

/** Each string's place among them in sorted order, each with `suffix`. */
function ranksOf(list: readonly string[], suffix: string): number[] {
  const order = list
    .map((s, i) => [`${s}${suffix}`, i] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const rank: number[] = new Array(list.length)
  order.forEach(([, i], k) => {
    rank[i] = k
  })
  return rank
}
