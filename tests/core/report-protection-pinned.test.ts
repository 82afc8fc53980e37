// The cells complementary suppression hides in a generated network of 30 units: pinned, so a change in how it is computed (kept in typed arrays since the figures at a million forms) cannot change what a report shows.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  type AgeGroup,
  type EpisodeRecord,
  episodeFacts,
  figurePaths,
  foldFacts,
  ORGANISATION_NODE,
  periodsBetween,
  protectYear,
} from '../../src/core/index.ts'
import { adm, episode, rng } from './builders.ts'

const YEAR = 2025
const AGES: AgeGroup[] = ['adult', 'adult', 'adolescent', 'child', 'young']
const ENDINGS = [null, 'planned', 'unplanned', 'referred', 'other'] as const
// 'u1' and 'u10': one id the start of another, where the tie-break's order of keys is subtle.
const UNITS = Array.from({ length: 30 }, (_, i) => `u${i + 1}`)

/** 2,400 episodes of 1,500 clients over the units (some in none), a year of start dates. */
function network(): { unit: string | null; episode: EpisodeRecord }[] {
  const random = rng(15)
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
  const pad = (n: number) => String(n).padStart(2, '0')
  return Array.from({ length: 2400 }, (_, i) => {
    const client = int(1, 1500)
    const age = AGES[client % AGES.length] as AgeGroup
    const startedAt = `${YEAR}-${pad(int(1, 12))}-${pad(int(1, 28))}`
    const outcome = age === 'child' ? 'CORS' : age === 'young' ? 'YCORS' : 'ORS'
    const rating = age === 'child' ? 'CSRS' : age === 'young' ? 'YCSRS' : 'SRS'
    const forms = Array.from({ length: int(0, 4) }, (_, s) =>
      adm(s % 2 === 0 ? outcome : rating, {
        session: 1 + Math.floor(s / 2),
        total: int(age === 'young' ? 0 : 5, age === 'young' ? 10 : 38),
        markedAt: `${startedAt}T1${s}:00:00Z`,
      }),
    )
    const ending = ENDINGS[int(0, 4)] ?? null
    return {
      unit: random() < 0.03 ? null : (UNITS[(client * 7 + int(0, 1)) % UNITS.length] as string),
      episode: episode(
        {
          id: `e${i}`,
          clientId: `c${client}`,
          ageGroup: age,
          startedAt,
          endedAt: ending ? `${YEAR}-12-31` : null,
          ending,
        },
        forms,
      ),
    }
  })
}

/** Every node's and period's hidden figures and group suppression, hashed. */
function hiddenDigest(units: readonly string[], organisation: boolean): string {
  const data = network()
  const scopeUnits = new Map(units.map((u) => [u, [] as ReturnType<typeof episodeFacts>[]]))
  const rest: ReturnType<typeof episodeFacts>[] = []
  for (const { unit, episode: e } of data) {
    const facts = episodeFacts(e)
    const list = unit === null ? undefined : scopeUnits.get(unit)
    if (list) list.push(facts)
    else if (organisation) rest.push(facts)
  }
  const year = protectYear(
    { units: scopeUnits, ...(organisation ? { organisation: { rest } } : {}) },
    YEAR,
  )
  const paths = figurePaths(foldFacts([]))
  const hash = createHash('sha256')
  let hidden = 0
  for (const node of [...units, ...(organisation ? [ORGANISATION_NODE] : [])])
    for (const kind of ['year', 'quarter', 'month'] as const)
      for (const period of periodsBetween(`${YEAR}-01-01`, `${YEAR}-12-31`, kind)) {
        const cell = year.get(node, period)
        if (!cell) throw new Error(`no cell ${node} ${period.key}`)
        const a = cell.aggregates as unknown as Record<
          string,
          Record<string, { suppressed?: true }>
        >
        const shut = paths.filter((p) => {
          const [group, sub] = p.split('.') as [string, string | undefined]
          const f = (sub === undefined ? a[group] : a[group]?.[sub]) as { suppressed?: true }
          return f.suppressed === true
        })
        hidden += shut.length
        hash.update(`${node} ${period.key} ${cell.suppressed} ${shut.join(',')}\n`)
      }
  return `${hidden} ${hash.digest('hex').slice(0, 16)}`
}

describe('complementary suppression in a network of 30 units', () => {
  it('hides the same figures for an administrator as it always has', () => {
    expect(hiddenDigest(UNITS, true)).toBe('7397 a3aec881bc929232')
  })

  it('hides the same figures for a leader of three units as it always has', () => {
    expect(hiddenDigest(['u1', 'u10', 'u2'], false)).toBe('731 1c12e3a460e0f3a1')
  })
})
