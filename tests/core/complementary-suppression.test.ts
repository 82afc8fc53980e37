import { describe, expect, it } from 'vitest'
import {
  type CellTruth,
  cellTable,
  complementarySuppression,
  derivableCells,
  packMargins,
} from '../../src/core/index.ts'

// A 2 × 2 table with its margins: a b | A, c d | C, e f | T (A = a + b, e = a + c, T = A + C = e + f).
const cells = cellTable(
  [2, 10, 12, 10, 10, 20, 12, 20, 32].map((clients, i) => ({
    clients,
    n: clients,
    key: `cell${i}`,
  })),
)
const margins = packMargins([
  [2, 0, 1],
  [5, 3, 4],
  [6, 0, 3],
  [7, 1, 4],
  [8, 2, 5],
  [8, 6, 7],
])

describe('complementary suppression stays bounded', () => {
  it('hides a small cell and enough others that it cannot be worked out, within the budget', () => {
    const hidden = complementarySuppression(cells, margins, [0], 5)
    expect(hidden.has(0)).toBe(true)
    expect(hidden.size).toBeLessThan(cells.clients.length)
    expect(derivableCells(cells, margins, hidden)).toEqual({ derivable: [], unsolved: [] })
  })

  it('a table too big for the work budget is hidden whole rather than left half-checked', () => {
    expect(derivableCells(cells, margins, new Set([0, 1]), 1).unsolved.length).toBeGreaterThan(0)
    const hidden = complementarySuppression(cells, margins, [0], 5, 1)
    expect([...hidden].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('a cell the shown sums fix at its true n is derivable; one they fix at a wrong n (clients counted twice) is not', () => {
    const cell = (n: number, key: string): CellTruth => ({ clients: n, n, key })
    // Quarter = its months: 6 = 2 + 4 gives the hidden month away; 5 ≠ 2 + 4 (a client in both).
    const additive = cellTable([cell(6, 'q'), cell(2, 'm1'), cell(4, 'm2')])
    const counted = cellTable([cell(5, 'q'), cell(2, 'm1'), cell(4, 'm2')])
    const quarter = packMargins([[0, 1, 2]])
    expect(derivableCells(additive, quarter, new Set([1])).derivable).toEqual([1])
    expect(derivableCells(counted, quarter, new Set([1])).derivable).toEqual([])
  })
})
