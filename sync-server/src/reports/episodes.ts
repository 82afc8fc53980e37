// Reads episodes with their administrations from the records table into the core's EpisodeRecord shape.
import type { Kysely } from 'kysely'
import type {
  AdministrationPayload,
  AdministrationRecord,
  AgeGroup,
  ClientPayload,
  EpisodePayload,
  EpisodeRecord,
} from '../../../src/core/index.ts'
import { selectIn } from '../db/bulk-sql.ts'
import type { Database, RecordsTable } from '../db/schema.ts'

/** A stored payload in its entity's shape: the push stored it only after the schema check (payloads.ts). */
function stored<T extends ClientPayload | EpisodePayload | AdministrationPayload>(json: string): T {
  return JSON.parse(json) as T
}

export interface EpisodeFilter {
  unitIds?: readonly string[]
  clientIds?: readonly string[]
}

/** Every episode of the organisation, or of the units (filed under them) or clients given (an empty list gives none). */
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
  const { unitIds, clientIds } = filter
  return episodesOf(
    unitIds === undefined && clientIds !== undefined
      ? // The push's facts refresh, once per group commit: without the builder's cost per id.
        await selectIn(db, 'records', EPISODE_COLUMNS, 'client_id', clientIds)
      : await byUnits(db, filter),
    unitIds,
  )
}

const EPISODE_COLUMNS = [
  'id',
  'entity',
  'client_id',
  'unit_id',
  'owner_id',
  'voided',
  'superseded_by',
  'payload',
] as const
type EpisodeRow = Pick<RecordsTable, (typeof EPISODE_COLUMNS)[number]>

function byUnits(db: Kysely<Database>, filter: EpisodeFilter): Promise<EpisodeRow[]> {
  let query = db.selectFrom('records').select(EPISODE_COLUMNS)
  const { unitIds } = filter
  // An episode belongs to the unit its record is filed under, but its client's record and its
  // forms may be filed under another unit (a client moved between units keeps older records where
  // they were): read every record of the clients with an episode in these units, then keep those
  // episodes, so they get the same facts as the push keeps (refreshEpisodeFacts reads by client).
  if (unitIds)
    query = query.where(
      'client_id',
      'in',
      db
        .selectFrom('records')
        .select('client_id')
        .where('entity', '=', 'episode')
        .where('unit_id', 'in', unitIds),
    )
  if (filter.clientIds) query = query.where('client_id', 'in', filter.clientIds)
  return query.execute()
}

function episodesOf(
  rows: readonly EpisodeRow[],
  unitIds: readonly string[] | undefined,
): LoadedEpisode[] {
  const ageGroups = new Map<string, AgeGroup>()
  const forms = new Map<string, AdministrationRecord[]>()
  for (const r of rows) {
    if (r.entity === 'client') ageGroups.set(r.id, stored<ClientPayload>(r.payload).ageGroup)
    if (r.entity === 'administration') {
      const p = stored<AdministrationPayload>(r.payload)
      const list = forms.get(p.episodeId) ?? []
      list.push({
        id: r.id,
        instrumentId: p.instrumentId,
        // A synced form is final: every item scored and the total checked (checkScores).
        items: p.items as Record<string, number>,
        total: Number(p.total),
        session: p.session,
        markedAt: p.markedAt,
        rater: p.rater,
        status: p.status,
        voided: r.voided === 1,
        supersededBy: r.superseded_by,
      })
      forms.set(p.episodeId, list)
    }
  }
  const episodes: LoadedEpisode[] = []
  for (const r of rows) {
    if (r.entity !== 'episode') continue
    if (unitIds && (r.unit_id === null || !unitIds.includes(r.unit_id))) continue
    const p = stored<EpisodePayload>(r.payload)
    const episode: EpisodeRecord = {
      id: r.id,
      clientId: r.client_id,
      ageGroup: ageGroups.get(r.client_id) ?? 'adult',
      startedAt: p.startedAt,
      endedAt: p.endedAt,
      ending: p.ending,
      administrations: forms.get(r.id) ?? [],
    }
    episodes.push({ episode, unitId: r.unit_id, ownerId: r.owner_id })
  }
  return episodes
}
