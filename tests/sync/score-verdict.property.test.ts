// One score check: for the same form, the server's push check and the app's check of a pulled form give the same verdict.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyRemoteChanges } from '../../src/storage/index.ts'
import { checkPayloadShape, checkScores } from '../../sync-server/src/sync/payloads.ts'
import { orsPayload } from '../server/support/ops.ts'
import { freshDb } from '../storage/helpers.ts'

const ORS = ['ors.individual', 'ors.interpersonal', 'ors.social', 'ors.overall']

/** Marks near the edges: in range, out of range, a second decimal, float noise, not a number. */
const mark = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((n) => n / 10),
  fc.constantFrom(-0.1, 10.1, 10.05, 3.25, 0.35 * 10, 7.000000001, -0, 1e-7, 10),
  fc.double({ min: -1, max: 11, noNaN: true }),
  fc.constant(null),
)

const form = fc.record({
  items: fc.tuple(mark, mark, mark, mark),
  drop: fc.boolean(),
  extra: fc.boolean(),
  totalShift: fc.constantFrom(0, 0, 0.04, 0.05, -0.1, 1),
})

function serverVerdict(payload: Record<string, unknown>): boolean {
  if (!checkPayloadShape('administration', payload).ok) return false
  return checkScores(payload as Parameters<typeof checkScores>[0]).ok
}

describe('one score check', () => {
  it('the server accepts a pushed form exactly when the app stores it pulled (random items and totals)', async () => {
    const t = freshDb()
    await fc.assert(
      fc.asyncProperty(form, async ({ items, drop, extra, totalShift }) => {
        const marks: Record<string, number | null> = {}
        ORS.forEach((id, i) => {
          marks[id] = items[i] ?? null
        })
        if (drop) delete marks['ors.overall']
        if (extra) marks['ors.extra'] = 5
        const base = orsPayload('client-1', 'episode-1', marks)
        const payload = { ...base, total: Math.round(((base.total ?? 0) + totalShift) * 100) / 100 }
        const stored = await applyRemoteChanges(t.db, [
          { entity: 'administration', id: payload.id, voided: false, supersededBy: null, payload },
        ])
        expect(stored.refused.length === 0, JSON.stringify(payload.items)).toBe(
          serverVerdict(payload),
        )
      }),
      { numRuns: 150 },
    )
  })
})
