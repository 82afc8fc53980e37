// Test data builders for episodes and administrations (tests only).
import type {
  AdministrationRecord,
  AgeGroup,
  EpisodeRecord,
  InstrumentId,
  Rater,
} from '../../src/core/index.ts'
import { INSTRUMENTS } from '../../src/core/index.ts'

let sequence = 0

/** Splits a total (in tenths) over the form's items so that they sum exactly to it. */
export function splitTotal(instrumentId: InstrumentId, total: number): Record<string, number> {
  const ids = INSTRUMENTS[instrumentId].items.map((i) => i.id)
  const tenths = Math.round(total * 10)
  const base = Math.floor(tenths / ids.length)
  const rest = tenths - base * ids.length
  return Object.fromEntries(ids.map((id, i) => [id, (base + (i < rest ? 1 : 0)) / 10]))
}

export interface AdmInput {
  session: number
  total?: number
  items?: Record<string, number>
  rater?: Rater
  status?: 'draft' | 'final'
  voided?: boolean
  supersededBy?: string | null
  markedAt?: string
  id?: string
}

export function adm(instrumentId: InstrumentId, input: AdmInput): AdministrationRecord {
  const items = input.items ?? splitTotal(instrumentId, input.total ?? 0)
  const tenths = Object.values(items).reduce((s, v) => s + Math.round(v * 10), 0)
  const record: AdministrationRecord = {
    id: input.id ?? `a${++sequence}`,
    instrumentId,
    items,
    total: input.total ?? tenths / 10,
    session: input.session,
    markedAt: input.markedAt ?? `2024-01-${String(input.session).padStart(2, '0')}T10:00:00Z`,
    rater: input.rater ?? 'client',
    status: input.status ?? 'final',
  }
  if (input.voided !== undefined) record.voided = input.voided
  if (input.supersededBy !== undefined) record.supersededBy = input.supersededBy
  return record
}

export interface EpisodeInput {
  id?: string
  clientId?: string
  ageGroup?: AgeGroup
  startedAt?: string
  endedAt?: string | null
  ending?: EpisodeRecord['ending']
}

export function episode(
  input: EpisodeInput,
  administrations: AdministrationRecord[],
): EpisodeRecord {
  return {
    id: input.id ?? `e${++sequence}`,
    clientId: input.clientId ?? `c${sequence}`,
    ageGroup: input.ageGroup ?? 'adult',
    startedAt: input.startedAt ?? '2024-01-01',
    endedAt: input.endedAt ?? null,
    ending: input.ending ?? null,
    administrations,
  }
}

/** An adult episode with one client ORS per given total, sessions 1..n. */
export function orsEpisode(totals: number[], input: EpisodeInput = {}): EpisodeRecord {
  return episode(
    input,
    totals.map((total, i) => adm('ORS', { session: i + 1, total })),
  )
}

/** Deterministic PRNG (mulberry32) so generated datasets are reproducible from a seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
