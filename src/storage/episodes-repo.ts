// Courses of help (episodes) in the IndexedDB `episodes` table, sealed; every change also queues its outbox entry.

import { v7 as uuidv7 } from 'uuid'
import { ENDINGS, type Ending, STATUS_COLOURS, type StatusColour } from '../core/index.ts'
import { getClient } from './clients-repo.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { enqueue, prepareEntry } from './outbox.ts'
import type { StoredEpisode } from './records.ts'
import { decodeRow, decodeRows, encodeEpisode } from './sealing.ts'
import { isoOrThrow } from './validate.ts'
import { plannedWrite } from './write.ts'

export interface EndEpisodeInput {
  ending: Ending
  endStatus: StatusColour | null
  /** ISO date-time; defaults to now on the device clock. */
  endedAt?: string
}

function byStart(a: StoredEpisode, b: StoredEpisode): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1
}

export interface EpisodePlan {
  episode: StoredEpisode
  /** The writes for a new episode (none when the client already had an open one). */
  write: () => Promise<void>
}

/**
 * Inside a plannedWrite's prepare: the client's open episode, or a new one with its sealed row
 * and outbox entry, to be written in the same transaction as what needs it.
 */
export async function planOpenEpisode(db: LinjaDb, clientId: string): Promise<EpisodePlan> {
  const client = await getClient(db, clientId)
  if (!client) throw new StorageError('not-found', `No client ${clientId}.`)
  const open = (await listEpisodes(db, clientId)).filter((e) => e.endedAt === null)
  const latest = open[open.length - 1]
  if (latest) return { episode: latest, write: async () => undefined }
  const now = db.nowISO()
  const episode: StoredEpisode = {
    id: uuidv7(),
    clientId,
    startedAt: now,
    endedAt: null,
    ending: null,
    endStatus: null,
    updatedAt: now,
  }
  const row = await encodeEpisode(db, episode)
  const entry = await prepareEntry(db, {
    entity: 'episode',
    entityId: episode.id,
    op: 'create',
    payload: episode,
  })
  return {
    episode,
    write: async () => {
      await db.episodes.add(row)
      await enqueue(db, entry)
    },
  }
}

export async function openEpisodeFor(db: LinjaDb, clientId: string): Promise<StoredEpisode> {
  return plannedWrite(db, [db.clients, db.episodes, db.outbox, db.meta], async () => {
    const plan = await planOpenEpisode(db, clientId)
    return async () => {
      await plan.write()
      return plan.episode
    }
  })
}

export async function endEpisode(
  db: LinjaDb,
  episodeId: string,
  input: EndEpisodeInput,
): Promise<StoredEpisode> {
  if (!(ENDINGS as readonly string[]).includes(input.ending)) {
    throw new StorageError('invalid-argument', `Unknown ending: ${String(input.ending)}`)
  }
  if (
    input.endStatus !== null &&
    !(STATUS_COLOURS as readonly string[]).includes(input.endStatus)
  ) {
    throw new StorageError('invalid-argument', `Unknown status colour: ${String(input.endStatus)}`)
  }
  const endedAt = input.endedAt === undefined ? db.nowISO() : isoOrThrow(input.endedAt, 'endedAt')
  return plannedWrite(db, [db.episodes, db.outbox, db.meta], async () => {
    const current = await getEpisode(db, episodeId)
    if (!current) throw new StorageError('not-found', `No episode ${episodeId}.`)
    if (current.endedAt !== null)
      throw new StorageError('episode-ended', 'This episode has already ended.')
    if (endedAt < current.startedAt) {
      throw new StorageError('invalid-argument', 'An episode cannot end before it started.')
    }
    const next: StoredEpisode = {
      ...current,
      endedAt,
      ending: input.ending,
      endStatus: input.endStatus,
      updatedAt: db.nowISO(),
    }
    const row = await encodeEpisode(db, next)
    const entry = await prepareEntry(db, {
      entity: 'episode',
      entityId: episodeId,
      op: 'end',
      payload: next,
    })
    return async () => {
      await db.episodes.put(row)
      await enqueue(db, entry)
      return next
    }
  })
}

export async function getEpisode(
  db: LinjaDb,
  episodeId: string,
): Promise<StoredEpisode | undefined> {
  return decodeRow<StoredEpisode>(db, 'episodes', await db.episodes.get(episodeId))
}

/** The client's episodes, oldest first. */
export async function listEpisodes(db: LinjaDb, clientId: string): Promise<StoredEpisode[]> {
  const rows = await db.episodes.where('clientId').equals(clientId).toArray()
  return (await decodeRows<StoredEpisode>(db, 'episodes', rows)).sort(byStart)
}

/** Every episode on the device, oldest first. */
export async function listAllEpisodes(db: LinjaDb): Promise<StoredEpisode[]> {
  return (await decodeRows<StoredEpisode>(db, 'episodes', await db.episodes.toArray())).sort(
    byStart,
  )
}
