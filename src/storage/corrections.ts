// Corrections and voids of final administrations in IndexedDB (sealed): old versions are kept, each change is queued.
import { v7 as uuidv7 } from 'uuid'
import { getAdministration } from './administration-queries.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { enqueue, prepareEntry } from './outbox.ts'
import type { StoredAdministration } from './records.ts'
import { encodeAdministration } from './sealing.ts'
import { completeItemsOrThrow, instrumentOrThrow, reasonOrThrow } from './validate.ts'
import { plannedWrite } from './write.ts'

export interface CorrectionInput {
  items: Readonly<Record<string, number | null>>
  reason: string
}

async function currentFinalOrThrow(db: LinjaDb, id: string): Promise<StoredAdministration> {
  const record = await getAdministration(db, id)
  if (!record) throw new StorageError('not-found', `No administration ${id}.`)
  if (record.status !== 'final')
    throw new StorageError('not-final', 'A draft is changed by marking it, not corrected.')
  if (record.voided !== null) throw new StorageError('voided', 'This form has been voided.')
  if (record.supersededBy !== null) {
    throw new StorageError(
      'superseded',
      'This version has been corrected already; change the latest version.',
    )
  }
  return record
}

/**
 * A new final version with the corrected items. The old version stays, pointing at the new one
 * (supersededBy). One outbox entry, op 'correct', carries the new version and, as baseVersion,
 * the id it was made from; the server marks its copy of the old version itself. markedAt stays
 * the time the client marked the form: a correction fixes the transcription, not the moment.
 */
export async function correct(
  db: LinjaDb,
  id: string,
  input: CorrectionInput,
): Promise<StoredAdministration> {
  const reason = reasonOrThrow(input.reason, 'correction')
  return plannedWrite(db, [db.administrations, db.outbox, db.meta], async () => {
    const old = await currentFinalOrThrow(db, id)
    const { items, total } = completeItemsOrThrow(instrumentOrThrow(old.instrumentId), input.items)
    const unchanged = Object.entries(items).every(([itemId, value]) => old.items[itemId] === value)
    if (unchanged) throw new StorageError('invalid-argument', 'The correction changes no score.')
    const now = db.nowISO()
    const next: StoredAdministration = {
      ...old,
      id: uuidv7(),
      items,
      total,
      versionOf: old.versionOf ?? old.id,
      supersedes: old.id,
      supersededBy: null,
      correctionReason: reason,
      createdAt: now,
      updatedAt: now,
    }
    const oldRow = await encodeAdministration(db, { ...old, supersededBy: next.id, updatedAt: now })
    const row = await encodeAdministration(db, next)
    const entry = await prepareEntry(db, {
      entity: 'administration',
      entityId: next.id,
      op: 'correct',
      payload: next,
      baseVersion: old.id,
    })
    return async () => {
      await db.administrations.put(oldRow)
      await db.administrations.add(row)
      await enqueue(db, entry)
      return next
    }
  })
}

/** Voids (never deletes) the latest version of a final form, with a reason. */
export async function voidAdministration(
  db: LinjaDb,
  id: string,
  reason: string,
): Promise<StoredAdministration> {
  const why = reasonOrThrow(reason, 'void')
  return plannedWrite(db, [db.administrations, db.outbox, db.meta], async () => {
    const current = await currentFinalOrThrow(db, id)
    const now = db.nowISO()
    const next: StoredAdministration = {
      ...current,
      voided: { reason: why, at: now },
      updatedAt: now,
    }
    const row = await encodeAdministration(db, next)
    const entry = await prepareEntry(db, {
      entity: 'administration',
      entityId: id,
      op: 'void',
      payload: next,
    })
    return async () => {
      await db.administrations.put(row)
      await enqueue(db, entry)
      return next
    }
  })
}
