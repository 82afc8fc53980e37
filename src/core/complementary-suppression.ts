// Complementary suppression: hides more cells of a table with margins until no hidden cell can be worked out from the shown ones.
//
// A report's table is large (at a million forms: 52 nodes × 17 periods × 41 figures, 36,000 cells
// in 12,000 margins, per year), so cells, margins and the hidden set are kept in typed arrays: the
// same rules over objects, sets and spread arrays allocated some 50 MiB a year of report, which the
// server's heap kept growing by from one report to the next.

/** What the server knows of one cell of one figure: the clients and n it rests on. */
export interface CellTruth {
  clients: number
  n: number
  /** Tie-break when two cells are equally small, so the same data always hides the same cells. */
  key: string
}

/** The cells of a table, one column per field: cell i is clients[i], n[i], rank[i]. */
export interface CellTable {
  clients: ArrayLike<number>
  n: ArrayLike<number>
  /** The cells' order by key (CellTruth's tie-break): equal keys, equal rank. */
  rank: ArrayLike<number>
}

/**
 * A margin: the parent's figure is the sum of its children's (n, and n × mean). Only disjoint
 * children: organisation = units (+ episodes in no unit); quarter = its months; total = age groups.
 */
export type Margin = readonly [parent: number, ...children: number[]]

/** Margins packed: margin m is members[start[m]] (the parent) up to members[start[m + 1] − 1]. */
export interface Margins {
  start: Int32Array
  members: Int32Array
}

/** The cells as a table, ranked by key. */
export function cellTable(cells: readonly CellTruth[]): CellTable {
  const key = (i: number) => (cells[i] as CellTruth).key
  const order = cells
    .map((_, i) => i)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  const rank = new Int32Array(cells.length)
  order.forEach((cell, i) => {
    const before = order[i - 1]
    rank[cell] = before !== undefined && key(before) === key(cell) ? (rank[before] as number) : i
  })
  return {
    clients: Int32Array.from(cells, (c) => c.clients),
    n: Float64Array.from(cells, (c) => c.n),
    rank,
  }
}

/** Collects margins into the packed form without an array per margin. */
export class MarginPacker {
  private readonly starts: number[] = [0]
  private readonly list: number[] = []
  add(parent: number, children: readonly number[]): void {
    this.list.push(parent)
    for (const c of children) this.list.push(c)
    this.starts.push(this.list.length)
  }
  packed(): Margins {
    return { start: Int32Array.from(this.starts), members: Int32Array.from(this.list) }
  }
}

export function packMargins(margins: readonly Margin[]): Margins {
  const packer = new MarginPacker()
  for (const [parent, ...children] of margins) packer.add(parent, children)
  return packer.packed()
}

const EPS = 1e-9

/** The work of one call: the table, its margins, which margins each cell is in, and what is hidden. */
class Table {
  readonly size: number
  readonly marginCount: number
  /** Margins of cell i: marginList[marginStart[i]] .. marginList[marginStart[i + 1] − 1]. */
  private readonly marginStart: Int32Array
  readonly marginList: Int32Array

  constructor(
    readonly cells: CellTable,
    readonly margins: Margins,
    readonly hidden: Uint8Array,
  ) {
    this.size = hidden.length
    this.marginCount = margins.start.length - 1
    const { start, members } = margins
    const count = new Int32Array(this.size + 1)
    for (let k = 0; k < members.length; k++) {
      const at = (members[k] as number) + 1
      count[at] = (count[at] as number) + 1
    }
    for (let i = 0; i < this.size; i++)
      count[i + 1] = (count[i + 1] as number) + (count[i] as number)
    this.marginStart = count.slice()
    const fill = count
    this.marginList = new Int32Array(members.length)
    for (let m = 0; m < this.marginCount; m++)
      for (let k = start[m] as number; k < (start[m + 1] as number); k++) {
        const cell = members[k] as number
        const at = fill[cell] as number
        this.marginList[at] = m
        fill[cell] = at + 1
      }
  }

  marginsOf(cell: number): [from: number, to: number] {
    if (cell < 0 || cell >= this.size) return [0, 0]
    return [this.marginStart[cell] as number, this.marginStart[cell + 1] as number]
  }

  nonEmpty(i: number): boolean {
    return (this.cells.n[i] as number) > 0 || (this.cells.clients[i] as number) > 0
  }

  /** Hidden and not empty: what the rules and the equations treat as unknown. */
  unknown(i: number): boolean {
    return this.hidden[i] === 1 && this.nonEmpty(i)
  }

  /** a is smaller than b: fewer clients, then smaller n, then the key. */
  smaller(a: number, b: number): boolean {
    const { clients, n, rank } = this.cells
    const d =
      (clients[a] as number) - (clients[b] as number) ||
      (n[a] as number) - (n[b] as number) ||
      (rank[a] as number) - (rank[b] as number)
    return d < 0
  }

  /** The smallest shown non-empty cell of members[from..to), or −1. */
  smallestShown(from: number, to: number): number {
    const { members } = this.margins
    let best = -1
    for (let k = from; k < to; k++) {
      const i = members[k] as number
      if (this.hidden[i] === 1 || !this.nonEmpty(i)) continue
      if (best < 0 || this.smaller(i, best)) best = i
    }
    return best
  }

  /** The smallest shown non-empty cell of margin m, or −1. */
  smallestShownIn(m: number): number {
    const { start } = this.margins
    return this.smallestShown(start[m] as number, start[m + 1] as number)
  }
}

/**
 * Returns the hidden cells (indexes into `cells`): `primary` (too few clients, or never shown)
 * plus complementary ones. In every margin with a hidden non-empty cell, at least two non-empty
 * cells are hidden, and when the parent is shown, the hidden children together rest on at least
 * `minClients` clients (their sum would otherwise show a small group). Then an exact check, the
 * attacker's own (linear algebra over the margins), hides more while any hidden cell is still the
 * sum or difference of shown ones, which the rule alone misses when margins cross (units × periods).
 * Empty cells are treated as known to be empty: they never protect anything.
 */
export function complementarySuppression(
  cells: CellTable,
  margins: Margins,
  primary: Iterable<number>,
  minClients: number,
  budget: number = ELIMINATION_BUDGET,
): Set<number> {
  const hidden = new Uint8Array(cells.clients.length)
  for (const i of primary) hidden[i] = 1
  const table = new Table(cells, margins, hidden)

  let stuck = -1
  // Systems none of whose cells was hidden since the last check are unchanged and were settled.
  let checked: Uint8Array | undefined
  for (let round = 0; ; round++) {
    applyMarginRule(table, minClients)
    const before = checked
    let changed: number[] | undefined
    if (before) {
      changed = []
      for (let i = 0; i < hidden.length; i++)
        if (hidden[i] === 1 && before[i] !== 1) changed.push(i)
    }
    checked = hidden.slice()
    const { derivable, unsolved } = derivableIn(table, budget, changed)
    if (derivable.length === 0 && unsolved.length === 0) return hiddenSet(hidden)
    // A few rounds settle real data; a pathological table must not hold a request for minutes:
    // then everything connected to a still-derivable cell (or to a system too big to solve
    // within the budget) is hidden, which is safe: all a connected table then shows is empty.
    if (round >= MAX_ROUNDS || round === stuck || unsolved.length > 0) {
      for (const x of [...derivable, ...unsolved]) hideConnected(table, x)
      return hiddenSet(hidden)
    }
    // For each derivable cell, hide the smallest shown cell in the nearest margin that has one,
    // searching outward through hidden cells (the equations that fix it run through them).
    let added = false
    for (const x of derivable) {
      const next = nearestShown(table, x)
      if (next >= 0 && hidden[next] !== 1) {
        hidden[next] = 1
        added = true
      }
    }
    if (!added) stuck = round + 1
  }
}

const MAX_ROUNDS = 8

function hiddenSet(hidden: Uint8Array): Set<number> {
  const out = new Set<number>()
  for (let i = 0; i < hidden.length; i++) if (hidden[i] === 1) out.add(i)
  return out
}

/** Hides every cell joined to `start` through margins. */
function hideConnected(table: Table, start: number): void {
  const { hidden } = table
  const { start: from, members } = table.margins
  const seen = new Uint8Array(table.size)
  if (start >= 0 && start < table.size) seen[start] = 1
  for (let frontier = [start]; frontier.length > 0; ) {
    const next: number[] = []
    for (const cell of frontier) {
      const [a, b] = table.marginsOf(cell)
      for (let j = a; j < b; j++) {
        const m = table.marginList[j] as number
        for (let k = from[m] as number; k < (from[m + 1] as number); k++) {
          const member = members[k] as number
          if (seen[member] === 1) continue
          seen[member] = 1
          hidden[member] = 1
          next.push(member)
        }
      }
    }
    frontier = next
  }
}

function nearestShown(table: Table, start: number): number {
  const { hidden } = table
  const { start: from, members } = table.margins
  const seen = new Uint8Array(table.size)
  if (start >= 0 && start < table.size) seen[start] = 1
  for (let frontier = [start]; frontier.length > 0; ) {
    const next: number[] = []
    for (const cell of frontier) {
      const [a, b] = table.marginsOf(cell)
      for (let j = a; j < b; j++) {
        const m = table.marginList[j] as number
        const shown = table.smallestShownIn(m)
        if (shown >= 0) return shown
        for (let k = from[m] as number; k < (from[m + 1] as number); k++) {
          const member = members[k] as number
          if (hidden[member] === 1 && seen[member] !== 1) {
            seen[member] = 1
            next.push(member)
          }
        }
      }
    }
    frontier = next
  }
  return -1
}

function applyMarginRule(table: Table, minClients: number): void {
  const { hidden, marginCount } = table
  const { start, members } = table.margins
  const clients = table.cells.clients
  // A worklist (a stack, last margin first): hiding a cell puts the margins it is in back on it.
  const queue = new Int32Array(marginCount)
  const queued = new Uint8Array(marginCount)
  let top = 0
  for (let m = 0; m < marginCount; m++) {
    queue[top++] = m
    queued[m] = 1
  }
  const push = (m: number) => {
    if (queued[m] === 1) return
    queued[m] = 1
    queue[top++] = m
  }
  while (top > 0) {
    const margin = queue[--top] as number
    queued[margin] = 0
    const first = start[margin] as number
    const end = start[margin + 1] as number
    const parent = members[first] as number
    let hiddenChildren = 0
    let hiddenClients = 0
    for (let k = first + 1; k < end; k++) {
      const c = members[k] as number
      if (table.unknown(c)) {
        hiddenChildren += 1
        hiddenClients += clients[c] as number
      }
    }
    let next = -1
    if (table.unknown(parent)) {
      // A hidden parent whose children are all shown is their sum.
      if (hiddenChildren === 0) next = table.smallestShown(first + 1, end)
    } else if (hiddenChildren > 0) {
      if (hiddenChildren >= 2 && hiddenClients >= minClients) continue
      next = table.smallestShown(first + 1, end)
      if (next < 0) next = table.smallestShown(first, first + 1)
    }
    if (next < 0) continue
    hidden[next] = 1
    push(margin)
    const [a, b] = table.marginsOf(next)
    for (let j = a; j < b; j++) push(table.marginList[j] as number)
  }
}

/**
 * Elementary steps the exact check may take per call (one step: one entry of one row updated).
 * Real reports need a few hundred thousand; a table past this is not solved but hidden whole
 * (see `unsolved`), so a request stays bounded whatever the data.
 */
export const ELIMINATION_BUDGET = 4_000_000

export interface Derivable {
  /** Hidden non-empty cells fixed by the shown ones. */
  derivable: number[]
  /** Hidden cells of systems left unsolved when the budget ran out: to be treated as derivable. */
  unsolved: number[]
}

/**
 * Hidden non-empty cells whose value follows from the shown ones: each margin is an equation
 * (parent − Σ children = 0) over the hidden cells, shown cells being known; a hidden cell is
 * determined exactly when its unit vector lies in the equations' row space, which in reduced
 * row echelon form means its pivot row has no other entry.
 */
export function derivableCells(
  cells: CellTable,
  margins: Margins,
  hidden: ReadonlySet<number>,
  budget: number = ELIMINATION_BUDGET,
): Derivable {
  const flags = new Uint8Array(cells.clients.length)
  for (const i of hidden) flags[i] = 1
  return derivableIn(new Table(cells, margins, flags), budget, undefined)
}

/** derivableCells over a Table; with `only`, just the systems holding one of those cells (the others are known settled). */
function derivableIn(table: Table, budget: number, only: readonly number[] | undefined): Derivable {
  const { start, members } = table.margins
  // Equations sharing no unknown are separate systems (one per figure, mostly): solved apart,
  // they stay small and sparse. Found first with a union-find over the cells, so equations are
  // only written out for the systems that are solved.
  const root = new Int32Array(table.size).fill(-1)
  const find = (i: number): number => {
    let r = i
    while ((root[r] as number) >= 0) r = root[r] as number
    for (let j = i; j !== r; ) {
      const up = root[j] as number
      root[j] = r
      j = up
    }
    return r
  }
  const equations: number[] = []
  for (let m = 0; m < table.marginCount; m++) {
    let first = -1
    for (let k = start[m] as number; k < (start[m + 1] as number); k++) {
      const c = members[k] as number
      if (!table.unknown(c)) continue
      if (first < 0) {
        first = find(c)
        continue
      }
      const r = find(c)
      if (r !== first) root[r] = first
    }
    if (first >= 0) equations.push(m)
  }
  // Systems in the order of their first equation.
  const systemOf = new Map<number, number[]>()
  for (const m of equations) {
    let k = start[m] as number
    while (!table.unknown(members[k] as number)) k++
    const key = find(members[k] as number)
    const list = systemOf.get(key)
    if (list) list.push(m)
    else systemOf.set(key, [m])
  }
  let touched: Set<number> | undefined
  if (only) {
    touched = new Set()
    for (const i of only) if (table.unknown(i)) touched.add(find(i))
  }
  const work = { left: budget }
  const out: Derivable = { derivable: [], unsolved: [] }
  for (const [key, list] of systemOf) {
    if (touched && !touched.has(key)) continue
    const system = list.map((m) => equationOf(table, m))
    const solved = work.left > 0 ? solvedUnknowns(system, work, table) : undefined
    if (solved) out.derivable.push(...solved)
    // The equations as written (solving changed them in place).
    else out.unsolved.push(...new Set(list.flatMap((m) => [...equationOf(table, m).keys()])))
  }
  return out
}

/**
 * Margin m as an equation over its unknown cells (entries in the order of the margin), with the
 * shown cells' n carried along as a constant, so a cell is derivable only if the sums give its
 * true n: client counts are not additive (a client starting in two months), and a cell they "fix"
 * at a wrong value gives nothing away; hiding more could never settle it.
 */
function equationOf(table: Table, m: number): Map<number, number> {
  const { start, members } = table.margins
  const n = table.cells.n
  const row = new Map<number, number>()
  const parent = members[start[m] as number] as number
  let known = 0
  if (table.unknown(parent)) row.set(parent, 1)
  else known = n[parent] as number
  for (let k = (start[m] as number) + 1; k < (start[m + 1] as number); k++) {
    const c = members[k] as number
    if (table.unknown(c)) row.set(c, (row.get(c) ?? 0) - 1)
    else known -= n[c] as number
  }
  if (known !== 0) row.set(CONSTANT, known)
  return row
}

/**
 * Unknowns fixed by the equations (Gauss–Jordan, rows changed in place): pivots whose reduced row
 * has no other entry. Undefined when the work budget runs out first.
 */
function solvedUnknowns(
  equations: readonly Map<number, number>[],
  work: { left: number },
  table: Table,
): number[] | undefined {
  const pivots = new Map<number, Map<number, number>>()
  // Column → the pivots whose rows have an entry there, so a new pivot clears only those rows.
  const holders = new Map<number, Set<number>>()
  const track = (pivot: number, col: number, present: boolean) => {
    if (col === pivot) return
    const set = holders.get(col)
    if (present) {
      if (set) set.add(pivot)
      else holders.set(col, new Set([pivot]))
    } else set?.delete(pivot)
  }
  for (const row of equations) {
    // Pivot rows have no entry at other pivots' columns, so the keys seen first are enough.
    for (const col of [...row.keys()]) {
      const pivotRow = pivots.get(col)
      const factor = row.get(col)
      if (!pivotRow || factor === undefined) continue
      addInto(row, pivotRow, -factor, undefined)
      work.left -= pivotRow.size
    }
    if (work.left < 0) return undefined
    const col = firstUnknown(row)
    if (col === undefined) continue
    const scale = row.get(col) as number
    row.forEach((v, k) => {
      row.set(k, v / scale)
    })
    const clearing = holders.get(col)
    if (clearing)
      for (const p of [...clearing]) {
        const pivotRow = pivots.get(p) as Map<number, number>
        const factor = pivotRow.get(col)
        if (factor === undefined) continue
        addInto(pivotRow, row, -factor, (k, present) => track(p, k, present))
        work.left -= row.size
      }
    holders.delete(col)
    pivots.set(col, row)
    row.forEach((_, k) => {
      track(col, k, true)
    })
    if (work.left < 0) return undefined
  }
  // row: x + c = 0 alone fixes x at −c.
  const fixed: number[] = []
  pivots.forEach((row, col) => {
    if (
      row.size === (row.has(CONSTANT) ? 2 : 1) &&
      Math.abs(-(row.get(CONSTANT) ?? 0) - (table.cells.n[col] as number)) < 1e-6
    )
      fixed.push(col)
  })
  return fixed
}

/** The key of an equation's constant term (cells are indexed from 0). */
const CONSTANT = -1

function firstUnknown(row: ReadonlyMap<number, number>): number | undefined {
  for (const k of row.keys()) if (k !== CONSTANT) return k
  return undefined
}

/** target += factor × source, dropping entries that cancel; `changed` hears of entries coming and going. */
function addInto(
  target: Map<number, number>,
  source: ReadonlyMap<number, number>,
  factor: number,
  changed: ((col: number, present: boolean) => void) | undefined,
): void {
  source.forEach((v, k) => {
    const before = target.get(k)
    const sum = (before ?? 0) + factor * v
    if (Math.abs(sum) < EPS) {
      if (before !== undefined) {
        target.delete(k)
        changed?.(k, false)
      }
    } else {
      target.set(k, sum)
      if (before === undefined) changed?.(k, true)
    }
  })
}
