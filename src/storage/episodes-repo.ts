// Courses of help (episodes) in the IndexedDB `episodes` table; every change also queues its outbox entry.

import { v7 as uuidv7 } from 'uuid'
import { ENDINGS, type Ending, STATUS_COLOURS, type StatusColour } from '../core/index.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { enqueue } from './outbox.ts'
import type { StoredEpisode } from './records.ts'
import { isoOrThrow } from './validate.ts'
import { writeTransaction } from './write.ts'

export interface EndEpisodeInput {
  ending: Ending
  endStatus: StatusColour | null
  /** ISO date-time; defaults to now on the device clock. */
  endedAt?: string
}

function byStart(a: StoredEpisode, b: StoredEpisode): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1
}

/**
 * The client's open episode, or a new one. Call inside a transaction whose scope includes
 * clients, episodes, outbox and meta (read-write), so that look-up and creation are one step.
 */
export async function ensureOpenEpisode(db: LinjaDb, clientId: string): Promise<StoredEpisode> {
  const client = await db.clients.get(clientId)
  if (!client) throw new StorageError('not-found', `No client ${clientId}.`)
  const open = (await db.episodes.where('clientId').equals(clientId).toArray())
    .filter((e) => e.endedAt === null)
    .sort(byStart)
  const latest = open[open.length - 1]
  if (latest) return latest
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
  await db.episodes.add(episode)
  await enqueue(db, { entity: 'episode', entityId: episode.id, op: 'create', payload: episode })
  return episode
}

export async function openEpisodeFor(db: LinjaDb, clientId: string): Promise<StoredEpisode> {
  return writeTransaction(db, [db.clients, db.episodes, db.outbox, db.meta], () =>
    ensureOpenEpisode(db, clientId),
  )
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
  return writeTransaction(db, [db.episodes, db.outbox, db.meta], async () => {
    const current = await db.episodes.get(episodeId)
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
    await db.episodes.put(next)
    await enqueue(db, { entity: 'episode', entityId: episodeId, op: 'end', payload: next })
    return next
  })
}

export async function getEpisode(
  db: LinjaDb,
  episodeId: string,
): Promise<StoredEpisode | undefined> {
  return db.episodes.get(episodeId)
}

/** The client's episodes, oldest first. */
export async function listEpisodes(db: LinjaDb, clientId: string): Promise<StoredEpisode[]> {
  return (await db.episodes.where('clientId').equals(clientId).toArray()).sort(byStart)
}

/** Every episode on the device, oldest first. */
export async function listAllEpisodes(db: LinjaDb): Promise<StoredEpisode[]> {
  return (await db.episodes.toArray()).sort(byStart)
}
