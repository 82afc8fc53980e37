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
): Set<number> {
  const hidden = new Set(primary)
  const marginsOf = new Map<number, Margin[]>()
  for (const m of margins) for (const i of m) marginsOf.set(i, [...(marginsOf.get(i) ?? []), m])
  const smallestShown = (members: readonly number[]): number | undefined =>
    members
      .filter((i) => !hidden.has(i) && nonEmpty(cells[i] as CellTruth))
      .sort((a, b) => compareCells(cells[a] as CellTruth, cells[b] as CellTruth))[0]

  let stuck = -1
  for (let round = 0; ; round++) {
    applyMarginRule(cells, margins, marginsOf, hidden, smallestShown, minClients)
    const derivable = derivableCells(cells, margins, hidden)
    if (derivable.length === 0) return hidden
    // A few rounds settle real data; a pathological table must not hold a request for minutes:
    // then everything connected to a still-derivable cell is hidden, which is safe.
    if (round >= MAX_ROUNDS || round === stuck) {
      for (const x of derivable) hideConnected(x, marginsOf, hidden)
      return hidden
    }
    // For each derivable cell, hide the smallest shown cell in the nearest margin that has one,
    // searching outward through hidden cells (the equations that fix it run through them).
    const before = hidden.size
    for (const x of derivable) {
      const next = nearestShown(x, marginsOf, hidden, smallestShown)
      if (next !== undefined) hidden.add(next)
    }
    if (hidden.size === before) stuck = round + 1
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
 * Hidden non-empty cells whose value follows from the shown ones: each margin is an equation
 * (parent − Σ children = 0) over the hidden cells, shown cells being known; a hidden cell is
 * determined exactly when its unit vector lies in the equations' row space, which in reduced
 * row echelon form means its pivot row has no other entry.
 */
export function derivableCells(
  cells: readonly CellTruth[],
  margins: readonly Margin[],
  hidden: ReadonlySet<number>,
): number[] {
  const unknown = (i: number) => hidden.has(i) && nonEmpty(cells[i] as CellTruth)
  const equations = margins.flatMap(([parent, ...children]) => {
    const row = new Map<number, number>()
    if (unknown(parent)) row.set(parent, 1)
    for (const c of children) if (unknown(c)) row.set(c, (row.get(c) ?? 0) - 1)
    return row.size > 0 ? [row] : []
  })
  // Equations sharing no unknown are separate systems (one per figure, mostly): solved apart,
  // they stay small and sparse.
  const root = new Map<number, number>()
  const find = (i: number): number => {
    let r = i
    while ((root.get(r) ?? r) !== r) r = root.get(r) as number
    root.set(i, r)
    return r
  }
  for (const row of equations) {
    const [first, ...rest] = [...row.keys()].map(find)
    for (const r of rest) if (r !== first && first !== undefined) root.set(r, first)
  }
  const systems = new Map<number, Map<number, number>[]>()
  for (const row of equations) {
    const key = find(row.keys().next().value as number)
    const list = systems.get(key)
    if (list) list.push(row)
    else systems.set(key, [row])
  }
  return [...systems.values()].flatMap(solvedUnknowns)
}

/** Unknowns fixed by the equations: pivots whose reduced row has no other entry. */
function solvedUnknowns(equations: readonly Map<number, number>[]): number[] {
  const pivots = new Map<number, Map<number, number>>()
  for (const equation of equations) {
    let row = equation
    for (const col of [...row.keys()]) {
      const pivotRow = pivots.get(col)
      const factor = row.get(col)
      if (pivotRow && factor !== undefined) row = addScaled(row, pivotRow, -factor)
    }
    const col = row.keys().next().value
    if (col === undefined) continue
    const scale = row.get(col) as number
    for (const [k, v] of row) row.set(k, v / scale)
    for (const [p, pivotRow] of pivots) {
      const factor = pivotRow.get(col)
      if (factor !== undefined) pivots.set(p, addScaled(pivotRow, row, -factor))
    }
    pivots.set(col, row)
  }
  return [...pivots].filter(([, row]) => row.size === 1).map(([col]) => col)
}

function addScaled(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
  factor: number,
): Map<number, number> {
  const out = new Map(a)
  for (const [k, v] of b) {
    const sum = (out.get(k) ?? 0) + factor * v
    if (Math.abs(sum) < EPS) out.delete(k)
    else out.set(k, sum)
  }
  return out
}
