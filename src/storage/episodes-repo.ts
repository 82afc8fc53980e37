// Courses of help (episodes) in the IndexedDB `episodes` table, sealed; every change also queues its outbox entry.

import { v7 as uuidv7 } from 'uuid'
import { ENDINGS, type Ending, STATUS_COLOURS, type StatusColour } from '../core/index.ts'
import { getClient } from './clients-repo.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { enqueue, prepareEntry } from './outbox.ts'
import type { StoredAdministration, StoredEpisode } from './records.ts'
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
  return planNewEpisode(db, clientId)
}

async function planNewEpisode(db: LinjaDb, clientId: string): Promise<EpisodePlan> {
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

/**
 * "Nytt forløp": a new episode for a client whose episodes have all ended. Refused while one is
 * open, so a client never has two courses of help at once.
 */
export async function startNewEpisode(db: LinjaDb, clientId: string): Promise<StoredEpisode> {
  return plannedWrite(db, [db.clients, db.episodes, db.outbox, db.meta], async () => {
    const client = await getClient(db, clientId)
    if (!client) throw new StorageError('not-found', `No client ${clientId}.`)
    if ((await listEpisodes(db, clientId)).some((e) => e.endedAt === null)) {
      throw new StorageError('episode-open', 'This client already has an open episode.')
    }
    const plan = await planNewEpisode(db, clientId)
    return async () => {
      await plan.write()
      return plan.episode
    }
  })
}

/** Unfinished forms of an episode: ending it discards them (drafts never leave the device). */
async function draftIdsOf(db: LinjaDb, episodeId: string): Promise<string[]> {
  const rows = await db.administrations.where('episodeId').equals(episodeId).toArray()
  const records = await decodeRows<StoredAdministration>(db, 'administrations', rows)
  return records.filter((a) => a.status === 'draft').map((a) => a.id)
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
  return plannedWrite(db, [db.episodes, db.administrations, db.outbox, db.meta], async () => {
    const current = await getEpisode(db, episodeId)
    if (!current) throw new StorageError('not-found', `No episode ${episodeId}.`)
    if (current.endedAt !== null)
      throw new StorageError('episode-ended', 'This episode has already ended.')
    const drafts = await draftIdsOf(db, episodeId)
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
      await db.administrations.bulkDelete(drafts)
      await enqueue(db, entry)
      return next
    }
  })
}

export const REOPEN_REASON_MAX_LENGTH = 500

/**
 * Takes back an ending made by mistake: the episode is open again and the ending it had is kept
 * in `reopenings` with the reason, so the history (and the server) still shows it. Only the
 * client's latest episode, and only while no other is open.
 */
export async function reopenEpisode(
  db: LinjaDb,
  episodeId: string,
  reason: string,
): Promise<StoredEpisode> {
  const why = typeof reason === 'string' ? reason.trim() : ''
  if (why === '') throw new StorageError('reason-required', 'Give a reason for reopening.')
  if (why.length > REOPEN_REASON_MAX_LENGTH) {
    throw new StorageError('invalid-argument', 'The reason is too long.')
  }
  return plannedWrite(db, [db.episodes, db.outbox, db.meta], async () => {
    const current = await getEpisode(db, episodeId)
    if (!current) throw new StorageError('not-found', `No episode ${episodeId}.`)
    if (current.endedAt === null) {
      throw new StorageError('invalid-argument', 'This episode has not ended.')
    }
    const others = (await listEpisodes(db, current.clientId)).filter((e) => e.id !== episodeId)
    if (others.some((e) => e.endedAt === null)) {
      throw new StorageError('episode-open', 'This client already has an open episode.')
    }
    if (others.some((e) => e.startedAt > current.startedAt)) {
      throw new StorageError('episode-not-latest', 'Only the latest episode can be reopened.')
    }
    const now = db.nowISO()
    const next: StoredEpisode = {
      ...current,
      endedAt: null,
      ending: null,
      endStatus: null,
      reopenings: [
        ...(current.reopenings ?? []),
        { at: now, reason: why, endedAt: current.endedAt, ending: current.ending },
      ],
      updatedAt: now,
    }
    const row = await encodeEpisode(db, next)
    const entry = await prepareEntry(db, {
      entity: 'episode',
      entityId: episodeId,
      op: 'update',
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
