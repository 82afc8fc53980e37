// Administrations (filled-in forms) in the IndexedDB `administrations` table, sealed: drafts mark by mark, final forms with their outbox entry.

import { v7 as uuidv7 } from 'uuid'
import type { Instrument, InstrumentId, Locale, Rater } from '../core/index.ts'
import { getAdministration } from './administration-queries.ts'
import type { LinjaDb } from './db.ts'
import { planOpenEpisode } from './episodes-repo.ts'
import { StorageError } from './errors.ts'
import { enqueue, prepareEntry } from './outbox.ts'
import type { CollectedBy, StoredAdministration, TypedCollection } from './records.ts'
import { TYPED_COLLECTION } from './records.ts'
import { encodeAdministration } from './sealing.ts'
import { nextSessionFor, sessionAtFinish } from './sessions.ts'
import {
  checkFormContext,
  checkMark,
  checkSession,
  completeItemsOrThrow,
  instrumentOrThrow,
  isoOrThrow,
} from './validate.ts'
import { plannedWrite } from './write.ts'

export interface NewDraft {
  clientId: string
  instrumentId: InstrumentId
  rater: Rater
  collectedBy: CollectedBy
  locale: Locale
  groupSessionId?: string | null
  memberLabel?: string | null
  /** Overrides the session rule (sessions.ts), e.g. a parent's form in a meeting already under way. */
  session?: number
}

export interface TypedForm {
  clientId: string
  instrumentId: InstrumentId
  items: Readonly<Record<string, number | null>>
  rater: Rater
  collectedBy: TypedCollection
  /** When the client marked the paper form or gave the scores over the phone. */
  markedAt: string
  locale: Locale
  groupSessionId?: string | null
  memberLabel?: string | null
  session?: number
}

function recordTables(db: LinjaDb) {
  return [db.clients, db.episodes, db.administrations, db.outbox, db.meta]
}

/** Starts a form: all items unmarked (null). Drafts stay on the device; they never enter the outbox. */
export async function startDraft(db: LinjaDb, input: NewDraft): Promise<StoredAdministration> {
  const instrument = instrumentOrThrow(input.instrumentId)
  checkFormContext(instrument, input)
  checkSession(input.session)
  return plannedWrite(db, recordTables(db), async () => {
    const plan = await planOpenEpisode(db, input.clientId)
    const session = input.session ?? (await nextSessionFor(db, plan.episode.id, instrument.id))
    const now = db.nowISO()
    const draft = newAdministration(input, instrument, plan.episode.id, session, now, {
      items: Object.fromEntries(instrument.items.map((i) => [i.id, null])),
      total: null,
      markedAt: now,
      status: 'draft',
    })
    const row = await encodeAdministration(db, draft)
    return async () => {
      await plan.write()
      await db.administrations.add(row)
      return draft
    }
  })
}

/** A first version of a form: what a draft and a typed form share. */
function newAdministration(
  input: NewDraft | TypedForm,
  instrument: Instrument,
  episodeId: string,
  session: number,
  now: string,
  fields: Pick<StoredAdministration, 'items' | 'total' | 'markedAt' | 'status'>,
): StoredAdministration {
  return {
    id: uuidv7(),
    clientId: input.clientId,
    episodeId,
    instrumentId: instrument.id,
    instrumentVersion: instrument.version,
    rater: input.rater,
    collectedBy: input.collectedBy,
    session,
    startedAt: fields.markedAt,
    locale: input.locale,
    groupSessionId: input.groupSessionId ?? null,
    memberLabel: input.memberLabel ?? null,
    versionOf: null,
    supersedes: null,
    supersededBy: null,
    correctionReason: null,
    voided: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  }
}

async function draftOrThrow(db: LinjaDb, id: string): Promise<StoredAdministration> {
  const record = await getAdministration(db, id)
  if (!record) throw new StorageError('not-found', `No administration ${id}.`)
  if (record.status !== 'draft')
    throw new StorageError('not-a-draft', 'This form is already final.')
  return record
}

/** Stores one mark at once (null clears it). Refused on final forms. */
export async function saveMark(
  db: LinjaDb,
  draftId: string,
  itemId: string,
  score: number | null,
): Promise<StoredAdministration> {
  return plannedWrite(db, [db.administrations], async () => {
    const draft = await draftOrThrow(db, draftId)
    const value = checkMark(instrumentOrThrow(draft.instrumentId), itemId, score)
    const now = db.nowISO()
    const next: StoredAdministration = {
      ...draft,
      items: { ...draft.items, [itemId]: value },
      markedAt: now,
      updatedAt: now,
    }
    const row = await encodeAdministration(db, next)
    return async () => {
      await db.administrations.put(row)
      return next
    }
  })
}

/** Deletes a draft (never a final form: those are voided). */
export async function discardDraft(db: LinjaDb, id: string): Promise<void> {
  await plannedWrite(db, [db.administrations], async () => {
    await draftOrThrow(db, id)
    return async () => {
      await db.administrations.delete(id)
    }
  })
}

/** Checks the complete item set, makes the form final and queues it, in one transaction. */
export async function finalize(
  db: LinjaDb,
  draftId: string,
  options: { markedAt?: string } = {},
): Promise<StoredAdministration> {
  const markedAt =
    options.markedAt === undefined ? undefined : isoOrThrow(options.markedAt, 'markedAt')
  return plannedWrite(db, [db.administrations, db.outbox, db.meta], async () => {
    const draft = await draftOrThrow(db, draftId)
    const { items, total } = completeItemsOrThrow(
      instrumentOrThrow(draft.instrumentId),
      draft.items,
    )
    const now = db.nowISO()
    const final: StoredAdministration = {
      ...draft,
      session: await sessionAtFinish(db, draft),
      items,
      total,
      status: 'final',
      markedAt: markedAt ?? now,
      updatedAt: now,
    }
    const row = await encodeAdministration(db, final)
    const entry = await prepareEntry(db, {
      entity: 'administration',
      entityId: final.id,
      op: 'create',
      payload: final,
    })
    return async () => {
      await db.administrations.put(row)
      await enqueue(db, entry)
      return final
    }
  })
}

/** A form typed from paper or taken over the phone: checked, stored final and queued, or nothing is written. */
export async function recordTyped(db: LinjaDb, input: TypedForm): Promise<StoredAdministration> {
  const instrument = instrumentOrThrow(input.instrumentId)
  checkFormContext(instrument, input)
  if (!(TYPED_COLLECTION as readonly string[]).includes(input.collectedBy)) {
    throw new StorageError('invalid-argument', 'A typed form is collected on paper or by phone.')
  }
  checkSession(input.session)
  const markedAt = isoOrThrow(input.markedAt, 'markedAt')
  const { items, total } = completeItemsOrThrow(instrument, input.items)
  return plannedWrite(db, recordTables(db), async () => {
    const plan = await planOpenEpisode(db, input.clientId)
    const session = input.session ?? (await nextSessionFor(db, plan.episode.id, instrument.id))
    const now = db.nowISO()
    const record = newAdministration(input, instrument, plan.episode.id, session, now, {
      items,
      total,
      markedAt,
      status: 'final',
    })
    const row = await encodeAdministration(db, record)
    const entry = await prepareEntry(db, {
      entity: 'administration',
      entityId: record.id,
      op: 'create',
      payload: record,
    })
    return async () => {
      await plan.write()
      await db.administrations.add(row)
      await enqueue(db, entry)
      return record
    }
  })
}
