// Complementary suppression: hides more cells of a table with margins until no hidden cell can be worked out from the shown ones.

/** What the server knows of one cell of one figure: the clients and n it rests on. */
export interface CellTruth {
  clients: number
  n: number
  /** Tie-break when two cells are equally small, so the same data always hides the same cells. */
  key: string
}

/**
 * A margin: the parent's figure is the sum of its children's (n, and n × mean). Only disjoint
 * children: organisation = units (+ episodes in no unit); quarter = its months; total = age groups.
 */
export type Margin = readonly [parent: number, ...children: number[]]

const EPS = 1e-9

const nonEmpty = (c: CellTruth) => c.n > 0 || c.clients > 0

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
  cells: readonly CellTruth[],
  margins: readonly Margin[],
  primary: Iterable<number>,
  minClients: number,
  budget: number = ELIMINATION_BUDGET,
): Set<number> {
  const hidden = new Set(primary)
  const marginsOf = new Map<number, Margin[]>()
  for (const m of margins) for (const i of m) marginsOf.set(i, [...(marginsOf.get(i) ?? []), m])
  const smallestShown = (members: readonly number[]): number | undefined =>
    members
      .filter((i) => !hidden.has(i) && nonEmpty(cells[i] as CellTruth))
      .sort((a, b) => compareCells(cells[a] as CellTruth, cells[b] as CellTruth))[0]

  let stuck = -1
  // Systems none of whose cells was hidden since the last check are unchanged and were settled.
  let checked: ReadonlySet<number> | undefined
  for (let round = 0; ; round++) {
    applyMarginRule(cells, margins, marginsOf, hidden, smallestShown, minClients)
    const before = checked
    const changed = before && new Set([...hidden].filter((i) => !before.has(i)))
    checked = new Set(hidden)
    const { derivable, unsolved } = derivableCells(cells, margins, hidden, budget, changed)
    if (derivable.length === 0 && unsolved.length === 0) return hidden
    // A few rounds settle real data; a pathological table must not hold a request for minutes:
    // then everything connected to a still-derivable cell (or to a system too big to solve
    // within the budget) is hidden, which is safe: all a connected table then shows is empty.
    if (round >= MAX_ROUNDS || round === stuck || unsolved.length > 0) {
      for (const x of [...derivable, ...unsolved]) hideConnected(x, marginsOf, hidden)
      return hidden
    }
    // For each derivable cell, hide the smallest shown cell in the nearest margin that has one,
    // searching outward through hidden cells (the equations that fix it run through them).
    const size = hidden.size
    for (const x of derivable) {
      const next = nearestShown(x, marginsOf, hidden, smallestShown)
      if (next !== undefined) hidden.add(next)
    }
    if (hidden.size === size) stuck = round + 1
  }
}

const MAX_ROUNDS = 8

function hideConnected(
  start: number,
  marginsOf: ReadonlyMap<number, readonly Margin[]>,
  hidden: Set<number>,
): void {
  const seen = new Set([start])
  for (let frontier = [start]; frontier.length > 0; ) {
    const next: number[] = []
    for (const cell of frontier)
      for (const m of marginsOf.get(cell) ?? [])
        for (const member of m)
          if (!seen.has(member)) {
            seen.add(member)
            hidden.add(member)
            next.push(member)
          }
    frontier = next
  }
}

function nearestShown(
  start: number,
  marginsOf: ReadonlyMap<number, readonly Margin[]>,
  hidden: ReadonlySet<number>,
  smallestShown: (members: readonly number[]) => number | undefined,
): number | undefined {
  const seen = new Set([start])
  for (let frontier = [start]; frontier.length > 0; ) {
    const next: number[] = []
    for (const cell of frontier)
      for (const m of marginsOf.get(cell) ?? []) {
        const shown = smallestShown(m)
        if (shown !== undefined) return shown
        for (const member of m)
          if (hidden.has(member) && !seen.has(member)) {
            seen.add(member)
            next.push(member)
          }
      }
    frontier = next
  }
  return undefined
}

function compareCells(a: CellTruth, b: CellTruth): number {
  return a.clients - b.clients || a.n - b.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
}

function applyMarginRule(
  cells: readonly CellTruth[],
  margins: readonly Margin[],
  marginsOf: ReadonlyMap<number, readonly Margin[]>,
  hidden: Set<number>,
  smallestShown: (members: readonly number[]) => number | undefined,
  minClients: number,
): void {
  const isHidden = (i: number) => hidden.has(i) && nonEmpty(cells[i] as CellTruth)
  // A worklist: hiding a cell puts the margins it is in back on it.
  const queue = [...margins]
  const queued = new Set(queue)
  while (queue.length > 0) {
    const margin = queue.pop() as Margin
    queued.delete(margin)
    const [parent, ...children] = margin
    const hiddenChildren = children.filter(isHidden)
    let next: number | undefined
    if (isHidden(parent)) {
      // A hidden parent whose children are all shown is their sum.
      if (hiddenChildren.length === 0) next = smallestShown(children)
    } else if (hiddenChildren.length > 0) {
      const clients = hiddenChildren.reduce((s, i) => s + (cells[i] as CellTruth).clients, 0)
      if (hiddenChildren.length >= 2 && clients >= minClients) continue
      next = smallestShown(children) ?? smallestShown([parent])
    }
    if (next === undefined) continue
    hidden.add(next)
    for (const m of [margin, ...(marginsOf.get(next) ?? [])])
      if (!queued.has(m)) {
        queue.push(m)
        queued.add(m)
      }
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
  cells: readonly CellTruth[],
  margins: readonly Margin[],
  hidden: ReadonlySet<number>,
  budget: number = ELIMINATION_BUDGET,
  /** When given, only systems holding one of these cells are solved (the others are known settled). */
  only?: ReadonlySet<number>,
): Derivable {
  const unknown = (i: number) => hidden.has(i) && nonEmpty(cells[i] as CellTruth)
  const equations = margins.flatMap(([parent, ...children]) => {
    const row = new Map<number, number>()
    if (unknown(parent)) row.set(parent, 1)
    for (const c of children) if (unknown(c)) row.set(c, (row.get(c) ?? 0) - 1)
    if (row.size === 0) return []
    // The shown cells' n, carried along so a cell is derivable only if the sums give its true n:
    // client counts are not additive (a client starting in two months), and a cell they "fix"
    // at a wrong value gives nothing away; hiding more could never settle it.
    let known = unknown(parent) ? 0 : (cells[parent] as CellTruth).n
    for (const c of children) if (!unknown(c)) known -= (cells[c] as CellTruth).n
    if (known !== 0) row.set(CONSTANT, known)
    return [row]
  })
  // Equations sharing no unknown are separate systems (one per figure, mostly): solved apart,
  // they stay small and sparse.
  const root = new Map<number, number>()
  const find = (i: number): number => {
    let r = i
    while ((root.get(r) ?? r) !== r) r = root.get(r) as number
    for (let j = i; j !== r; ) {
      const up = root.get(j) as number
      root.set(j, r)
      j = up
    }
    return r
  }
  for (const row of equations) {
    const [first, ...rest] = [...row.keys()].filter((k) => k !== CONSTANT).map(find)
    for (const r of rest) if (r !== first && first !== undefined) root.set(r, first)
  }
  const systems = new Map<number, Map<number, number>[]>()
  for (const row of equations) {
    const key = find(firstUnknown(row) as number)
    const list = systems.get(key)
    if (list) list.push(row)
    else systems.set(key, [row])
  }
  const work = { left: budget }
  const out: Derivable = { derivable: [], unsolved: [] }
  const touched = only && new Set([...only].filter((i) => root.has(i) || unknown(i)).map(find))
  for (const [key, system] of systems) {
    if (touched && !touched.has(key)) continue
    const solved = work.left > 0 ? solvedUnknowns(system, work, cells) : undefined
    if (solved) out.derivable.push(...solved)
    else out.unsolved.push(...new Set(system.flatMap((row) => [...row.keys()])))
  }
  return out
}

/**
 * Unknowns fixed by the equations (Gauss–Jordan, rows changed in place): pivots whose reduced row
 * has no other entry. Undefined when the work budget runs out first.
 */
function solvedUnknowns(
  equations: readonly Map<number, number>[],
  work: { left: number },
  cells: readonly CellTruth[],
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
  for (const equation of equations) {
    const row = new Map(equation)
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
    for (const [k, v] of row) row.set(k, v / scale)
    for (const p of [...(holders.get(col) ?? [])]) {
      const pivotRow = pivots.get(p) as Map<number, number>
      const factor = pivotRow.get(col)
      if (factor === undefined) continue
      addInto(pivotRow, row, -factor, (k, present) => track(p, k, present))
      work.left -= row.size
    }
    holders.delete(col)
    pivots.set(col, row)
    for (const k of row.keys()) track(col, k, true)
    if (work.left < 0) return undefined
  }
  // row: x + c = 0 alone fixes x at −c.
  return [...pivots]
    .filter(
      ([col, row]) =>
        row.size === (row.has(CONSTANT) ? 2 : 1) &&
        Math.abs(-(row.get(CONSTANT) ?? 0) - (cells[col] as CellTruth).n) < 1e-6,
    )
    .map(([col]) => col)
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
  for (const [k, v] of source) {
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
  }
}
