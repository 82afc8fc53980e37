// Pure summaries of each client for the practitioner's list: status, last session, next action.
import {
  type EpisodeStatus,
  episodeStatus,
  formsForAge,
  getInstrument,
  type StatusSettings,
} from '../core/index.ts'
import type { Administration, Client, Episode } from '../storage/index.ts'
import { toCoreEpisode } from '../storage/index.ts'

export const NEXT_ACTIONS = [
  'resumeDraft',
  'startOutcome',
  'sessionRating',
  'discussProgress',
  'nextSession',
  'episodeEnded',
] as const
export type NextAction = (typeof NEXT_ACTIONS)[number]

export interface ClientSummary {
  client: Client
  episode: Episode | null
  status: EpisodeStatus
  /** The current episode has ended: listed last, and shown as ended rather than by colour. */
  closed: boolean
  lastMarkedAt: string | null
  nextAction: NextAction
}

const GREY: EpisodeStatus = {
  colour: 'grey',
  reasons: [{ key: 'status.reason.tooFewOutcome', values: { count: 0 } }],
}

/** The open episode if there is one, else the latest. */
export function currentEpisode(episodes: readonly Episode[]): Episode | null {
  const open = episodes.filter((e) => e.endedAt === null)
  const pool = open.length > 0 ? open : episodes
  return [...pool].sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))[0] ?? null
}

export function summariseClient(
  client: Client,
  episodes: readonly Episode[],
  administrations: readonly Administration[],
  today: string,
  settings: StatusSettings = {},
): ClientSummary {
  const episode = currentEpisode(episodes)
  const records = administrations.filter((a) => episode && a.episodeId === episode.id)
  const status = episode ? episodeStatus(toCoreEpisode(episode, client, records), settings) : GREY
  const finals = records.filter(
    (a) => a.status === 'final' && a.voided === null && a.supersededBy === null,
  )
  const lastMarkedAt = finals.reduce<string | null>(
    (m, a) => (m === null || a.markedAt > m ? a.markedAt : m),
    null,
  )
  const forms = formsForAge(client.ageGroup)
  const hasDraft = records.some((a) => a.status === 'draft')
  const outcomeToday = finals.some(
    (a) => getInstrument(a.instrumentId).kind === 'outcome' && a.markedAt.startsWith(today),
  )
  const sessionToday = finals.some(
    (a) => getInstrument(a.instrumentId).kind === 'session' && a.markedAt.startsWith(today),
  )
  let nextAction: NextAction = 'nextSession'
  if (episode?.endedAt) nextAction = 'episodeEnded'
  else if (hasDraft) nextAction = 'resumeDraft'
  else if (!finals.some((a) => a.instrumentId === forms.outcome)) nextAction = 'startOutcome'
  else if (outcomeToday && !sessionToday) nextAction = 'sessionRating'
  else if (status.colour === 'red' || status.colour === 'orange') nextAction = 'discussProgress'
  const closed = episode !== null && episode.endedAt !== null
  return { client, episode, status, closed, lastMarkedAt, nextAction }
}

/**
 * Summaries for every client, most in need of attention first (red, orange, green, grey), then by
 * code; clients whose episode has ended come last, whatever colour it ended with.
 */
export function summariseAll(
  clients: readonly Client[],
  episodes: readonly Episode[],
  administrations: readonly Administration[],
  today: string,
  settings: StatusSettings = {},
): ClientSummary[] {
  const episodesByClient = groupBy(episodes, (e) => e.clientId)
  const recordsByClient = groupBy(administrations, (a) => a.clientId)
  const rank = { red: 0, orange: 1, green: 2, grey: 3 } as const
  return clients
    .map((c) =>
      summariseClient(
        c,
        episodesByClient.get(c.id) ?? [],
        recordsByClient.get(c.id) ?? [],
        today,
        settings,
      ),
    )
    .sort(
      (a, b) =>
        Number(a.closed) - Number(b.closed) ||
        rank[a.status.colour] - rank[b.status.colour] ||
        a.client.code.localeCompare(b.client.code, 'nb'),
    )
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = map.get(k)
    if (list) list.push(item)
    else map.set(k, [item])
  }
  return map
}
