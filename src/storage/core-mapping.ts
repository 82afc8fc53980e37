// Turns records stored in IndexedDB into the shapes the scoring core (src/core) reads.
import type { AdministrationRecord, EpisodeRecord } from '../core/index.ts'
import type { StoredAdministration, StoredClient, StoredEpisode } from './records.ts'

/** The core's view of a form; null for drafts, which the core never sees. */
export function toCoreAdministration(a: StoredAdministration): AdministrationRecord | null {
  if (a.status !== 'final' || a.total === null) return null
  const items: Record<string, number> = {}
  for (const [itemId, value] of Object.entries(a.items)) {
    if (value === null) return null
    items[itemId] = value
  }
  return {
    id: a.id,
    instrumentId: a.instrumentId,
    items,
    total: a.total,
    session: a.session,
    markedAt: a.markedAt,
    rater: a.rater,
    status: a.status,
    voided: a.voided !== null,
    supersededBy: a.supersededBy,
  }
}

/** The core's view of an episode; the age group comes from the client. */
export function toCoreEpisode(
  episode: StoredEpisode,
  client: Pick<StoredClient, 'ageGroup'>,
  administrations: readonly StoredAdministration[],
): EpisodeRecord {
  return {
    id: episode.id,
    clientId: episode.clientId,
    ageGroup: client.ageGroup,
    startedAt: episode.startedAt,
    endedAt: episode.endedAt,
    ending: episode.ending,
    administrations: administrations
      .filter((a) => a.episodeId === episode.id)
      .flatMap((a) => toCoreAdministration(a) ?? []),
  }
}
