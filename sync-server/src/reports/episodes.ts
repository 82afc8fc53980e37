// Reads episodes with their administrations from the records table into the core's EpisodeRecord shape.
import type { Kysely } from 'kysely'
import type { AdministrationRecord, AgeGroup, EpisodeRecord } from '../../../src/core/index.ts'
import type { Database } from '../db/schema.ts'

type Json = Record<string, unknown>

export interface EpisodeFilter {
  unitIds?: readonly string[]
  clientIds?: readonly string[]
}

/** Every episode of the organisation, or of the units or clients given (an empty list gives none). */
export async function loadEpisodes(
  db: Kysely<Database>,
  filter: EpisodeFilter = {},
): Promise<EpisodeRecord[]> {
  return (await loadEpisodesWithUnits(db, filter)).map((e) => e.episode)
}

export interface LoadedEpisode {
  episode: EpisodeRecord
  /** The unit the episode's record is filed under (null: none). */
  unitId: string | null
  ownerId: string
}

/** As loadEpisodes, each episode with the unit its record is filed under and its owner. */
export async function loadEpisodesWithUnits(
  db: Kysely<Database>,
  filter: EpisodeFilter = {},
): Promise<LoadedEpisode[]> {
  if (filter.unitIds?.length === 0 || filter.clientIds?.length === 0) return []
  let query = db
    .selectFrom('records')
    .select([
      'id',
      'entity',
      'client_id',
      'unit_id',
      'owner_id',
      'voided',
      'superseded_by',
      'payload',
    ])
  if (filter.unitIds) query = query.where('unit_id', 'in', filter.unitIds)
  if (filter.clientIds) query = query.where('client_id', 'in', filter.clientIds)
  const rows = await query.execute()
  const ageGroups = new Map<string, AgeGroup>()
  const forms = new Map<string, AdministrationRecord[]>()
  for (const r of rows) {
    const p = JSON.parse(r.payload) as Json
    if (r.entity === 'client') ageGroups.set(r.id, p.ageGroup as AgeGroup)
    if (r.entity === 'administration') {
      const list = forms.get(String(p.episodeId)) ?? []
      list.push({
        id: r.id,
        instrumentId: p.instrumentId as AdministrationRecord['instrumentId'],
        items: p.items as Record<string, number>,
        total: Number(p.total),
        session: Number(p.session),
        markedAt: String(p.markedAt),
        rater: p.rater as AdministrationRecord['rater'],
        status: p.status as AdministrationRecord['status'],
        voided: r.voided === 1,
        supersededBy: r.superseded_by,
      })
      forms.set(String(p.episodeId), list)
    }
  }
  const episodes: LoadedEpisode[] = []
  for (const r of rows) {
    if (r.entity !== 'episode') continue
    const p = JSON.parse(r.payload) as Json
    const episode: EpisodeRecord = {
      id: r.id,
      clientId: r.client_id,
      ageGroup: ageGroups.get(r.client_id) ?? 'adult',
      startedAt: String(p.startedAt),
      endedAt: (p.endedAt as string | null) ?? null,
      ending: (p.ending as EpisodeRecord['ending']) ?? null,
      administrations: forms.get(r.id) ?? [],
    }
    episodes.push({ episode, unitId: r.unit_id, ownerId: r.owner_id })
  }
  return episodes
}
