// The practitioner's view of clients and their records, read from the device database.
import { create } from 'zustand'
import {
  type AgeGroup,
  type Ending,
  type EpisodeRecord,
  episodeStatus,
  type InstrumentId,
  type Locale,
  type Rater,
} from '../core/index.ts'
import {
  type Administration,
  type Client,
  correct,
  createClient,
  discardDraft,
  type Episode,
  endEpisode,
  getClient,
  listAllAdministrations,
  listAllEpisodes,
  listClients,
  listEpisodes,
  listForClient,
  nextSessionNumber,
  recordTyped,
  reopenEpisode,
  startNewEpisode,
  toCoreEpisode,
  voidAdministration,
} from '../storage/index.ts'
import {
  type ClientSummary,
  currentEpisode,
  summariseAll,
  summariseClient,
} from './client-summaries.ts'
import { database } from './database.ts'
import { onLock } from './lock-store.ts'
import { statusSettings } from './org-settings-store.ts'
import { afterLocalWrite } from './sync-store.ts'

export type { Administration, Client, Episode }

const today = () => new Date().toISOString().slice(0, 10)

interface ClientsState {
  clients: Client[]
  summaries: ClientSummary[]
  loaded: boolean
  refresh: () => Promise<void>
  create: (input: {
    code: string
    birthYear: number | null
    ageGroup?: AgeGroup
  }) => Promise<Client>
}

export const useClientsStore = create<ClientsState>()((set) => ({
  clients: [],
  summaries: [],
  loaded: false,
  refresh: async () => {
    const db = database()
    const keys = db.keys
    const [clients, episodes, records] = await Promise.all([
      listClients(db),
      listAllEpisodes(db),
      listAllAdministrations(db, { includeDrafts: true }),
    ])
    // Locked (or another practitioner unlocked) while reading: this list is no longer to be shown.
    if (db.keys !== keys) return
    set({
      clients,
      summaries: summariseAll(clients, episodes, records, today(), statusSettings()),
      loaded: true,
    })
  },
  create: async (input) => {
    const client = await createClient(database(), {
      code: input.code,
      birthYear: input.birthYear,
      ...(input.ageGroup ? { ageGroup: input.ageGroup } : {}),
    })
    set({ clients: await listClients(database()) })
    afterLocalWrite()
    return client
  },
}))

// Locked, the decrypted list leaves memory: the next practitioner to unlock this tablet would
// otherwise see the previous one's clients until their own list has loaded.
onLock(() => useClientsStore.setState({ clients: [], summaries: [], loaded: false }))

export interface ClientDetail {
  client: Client
  episodes: Episode[]
  /** Every version, voided ones too, for the history. */
  records: Administration[]
  summary: ClientSummary
}

export async function loadClientDetail(clientId: string): Promise<ClientDetail | null> {
  const db = database()
  const client = await getClient(db, clientId)
  if (!client) return null
  const [episodes, records] = await Promise.all([
    listEpisodes(db, clientId),
    listForClient(db, clientId, {
      includeDrafts: true,
      includeSuperseded: true,
      includeVoided: true,
    }),
  ])
  return {
    client,
    episodes,
    records,
    summary: summariseClient(client, episodes, records, today(), statusSettings()),
  }
}

export async function saveTypedScores(input: {
  clientId: string
  instrumentId: InstrumentId
  items: Record<string, number>
  rater: Rater
  collectedBy: 'paper' | 'phone'
  markedAt: string
  locale: Locale
}): Promise<Administration> {
  const saved = await recordTyped(database(), input)
  afterLocalWrite()
  return saved
}

export async function correctRecord(id: string, items: Record<string, number>, reason: string) {
  const saved = await correct(database(), id, { items, reason })
  afterLocalWrite()
  return saved
}

export async function voidRecord(id: string, reason: string) {
  const saved = await voidAdministration(database(), id, reason)
  afterLocalWrite()
  return saved
}

/** The meeting number a new form of this kind would get in the episode now (a remote link's default). */
export function nextSessionIn(
  records: Administration[],
  episodeId: string,
  instrumentId: InstrumentId,
): number {
  return nextSessionNumber(
    records.filter((r) => r.episodeId === episodeId),
    instrumentId,
  )
}

/** The core's view of the episode for charts, or null when there is none. */
export function coreEpisodeOf(
  episode: Episode | null,
  client: Client,
  records: Administration[],
): EpisodeRecord | null {
  return episode ? toCoreEpisode(episode, client, records) : null
}

/** Ends the client's current episode and keeps the status it had at the end. */
export async function endCurrentEpisode(detail: ClientDetail, ending: Ending): Promise<void> {
  const episode = currentEpisode(detail.episodes)
  if (!episode || episode.endedAt !== null) return
  const status = episodeStatus(
    toCoreEpisode(episode, detail.client, detail.records),
    statusSettings(),
  )
  await endEpisode(database(), episode.id, { ending, endStatus: status.colour })
  afterLocalWrite()
}

/** Takes back the ending of the client's current episode, with the practitioner's reason. */
export async function reopenCurrentEpisode(detail: ClientDetail, reason: string): Promise<void> {
  const episode = currentEpisode(detail.episodes)
  if (!episode || episode.endedAt === null) return
  await reopenEpisode(database(), episode.id, reason)
  afterLocalWrite()
}

/** "Nytt forløp": the client comes back after their episode ended. */
export async function startEpisodeFor(clientId: string): Promise<void> {
  await startNewEpisode(database(), clientId)
  afterLocalWrite()
}

/** Throws an unfinished form away (it never left the device). */
export async function discardUnfinished(draftId: string): Promise<void> {
  await discardDraft(database(), draftId)
}
