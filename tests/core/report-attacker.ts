// What someone shown a set of report figures can work out by adding and subtracting them (tests only).
//
// Every additive figure is a sum over atoms (unit × month, and × age group for client counts):
// its n, and n × mean (or hits for a percent, the count itself for a count). The attacker puts
// every shown cell of a figure into Gaussian elimination, carrying n and the sum along; a hidden
// cell whose atoms are a combination of shown cells' atoms gets that combination's n and sum.
// It is a leak when they equal the hidden cell's true n and sum (client counts are not exactly
// additive over months, so a combination can exist and still be wrong: that is no leak).
import { AGE_GROUPS, type Period, periodsBetween } from '../../src/core/index.ts'

export interface Observed {
  /** Figure path, e.g. 'intakeOutcome.adult'. */
  path: string
  /** A unit id, or ORGANISATION for the organisation (all units and the episodes in none). */
  node: string
  period: Period
  n: number
  value: number | null
}

export const ORGANISATION = 'organisation'
/** The episodes in no unit: part of the organisation, never shown on their own. */
export const NO_UNIT = '(no unit)'

export interface Leak {
  target: Observed
  derivedN: number
  derivedSum: number | null
}

type Kind = 'count' | 'percent' | 'mean' | 'effect'

function kindOf(path: string): Kind {
  if (/^(clients|episodes|collateral)\./.test(path)) return 'count'
  if (/^(closedOutcomes|endings|unplannedEndings)\.|^skippedFeedback$/.test(path)) return 'percent'
  if (path.startsWith('effectSize.')) return 'effect'
  return 'mean'
}

/** The additive sum behind a figure: null when there is none (effect sizes: only n adds up). */
export function sumOf(path: string, n: number, value: number | null): number | null {
  const kind = kindOf(path)
  if (kind === 'effect') return null
  if (value === null) return 0
  if (kind === 'count') return value
  return kind === 'percent' ? (value * n) / 100 : value * n
}

/** Client counts share atoms across age groups; every other figure stands alone. */
const familyOf = (path: string) => (path.startsWith('clients.') ? 'clients' : path)

/** Dense 0/1 vector of the cell's atoms over every atom of its family (units + no unit, months, ages). */
function vectorOf(o: Observed, units: readonly string[]): Float64Array {
  const allLeaves = [...units, NO_UNIT]
  const year = o.period.from.slice(0, 4)
  const allMonths = periodsBetween(`${year}-01-01`, `${year}-12-31`, 'month').map((m) => m.key)
  const clients = o.path.startsWith('clients.')
  const allAges = clients ? [...AGE_GROUPS] : ['']
  const leaves = o.node === ORGANISATION ? allLeaves : [o.node]
  const months = new Set(periodsBetween(o.period.from, o.period.to, 'month').map((m) => m.key))
  const ages = !clients
    ? ['']
    : o.path === 'clients.total'
      ? [...AGE_GROUPS]
      : [o.path.slice('clients.'.length)]
  const v = new Float64Array(allLeaves.length * allMonths.length * allAges.length)
  allLeaves.forEach((l, li) => {
    if (!leaves.includes(l)) return
    allMonths.forEach((m, mi) => {
      if (!months.has(m)) return
      allAges.forEach((a, ai) => {
        if (ages.includes(a)) v[(li * allMonths.length + mi) * allAges.length + ai] = 1
      })
    })
  })
  return v
}

interface Row {
  v: Float64Array
  n: number
  sum: number | null
}

const EPS = 1e-7

/** Subtracts every basis row (pivot → row with 1 there and 0 at other pivots) from the row. */
function reduce(row: Row, basis: ReadonlyMap<number, Row>): Row {
  const v = Float64Array.from(row.v)
  let { n, sum } = row
  for (const [pivot, b] of basis) {
    const f = v[pivot] as number
    if (Math.abs(f) < EPS) continue
    for (let k = 0; k < v.length; k++) v[k] = (v[k] as number) - f * (b.v[k] as number)
    n -= f * b.n
    sum = sum === null || b.sum === null ? null : sum - f * b.sum
  }
  return { v, n, sum }
}

const firstNonZero = (v: Float64Array) => v.findIndex((x) => Math.abs(x) >= EPS)

/**
 * Hidden cells (with their true n and value) that the shown cells give away. `units`: the units
 * the organisation is made of (with the episodes in no unit).
 */
export function leaks(
  shown: readonly Observed[],
  hidden: readonly Observed[],
  units: readonly string[],
): Leak[] {
  const bases = new Map<string, Map<number, Row>>()
  for (const o of shown) {
    const family = familyOf(o.path)
    const basis = bases.get(family) ?? new Map<number, Row>()
    bases.set(family, basis)
    const row = reduce({ v: vectorOf(o, units), n: o.n, sum: sumOf(o.path, o.n, o.value) }, basis)
    const pivot = firstNonZero(row.v)
    if (pivot < 0) continue
    const scale = row.v[pivot] as number
    const normal: Row = {
      v: row.v.map((x) => x / scale),
      n: row.n / scale,
      sum: row.sum === null ? null : row.sum / scale,
    }
    for (const [p, b] of basis)
      if (Math.abs(b.v[pivot] as number) >= EPS) basis.set(p, reduce(b, new Map([[pivot, normal]])))
    basis.set(pivot, normal)
  }
  const out: Leak[] = []
  for (const target of hidden) {
    const basis = bases.get(familyOf(target.path)) ?? new Map<number, Row>()
    // Solve target = Σ c·shown: reduce its atoms, carrying −(the combination's n and sum).
    const r = reduce({ v: vectorOf(target, units), n: 0, sum: 0 }, basis)
    if (firstNonZero(r.v) >= 0) continue
    const derivedN = -r.n
    const derivedSum = r.sum === null ? null : -r.sum
    const trueSum = sumOf(target.path, target.n, target.value)
    const sameSum =
      derivedSum === null ||
      trueSum === null ||
      Math.abs(derivedSum - trueSum) < 1e-6 * Math.max(1, Math.abs(trueSum))
    if (Math.abs(derivedN - target.n) < 1e-6 && sameSum) out.push({ target, derivedN, derivedSum })
  }
  return out
}
