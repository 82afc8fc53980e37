// Session numbering for administrations stored in IndexedDB: which meeting of the episode a form belongs to.
import { getInstrument, type InstrumentId } from '../core/index.ts'
import type { LinjaDb } from './db.ts'
import type { StoredAdministration } from './records.ts'
import { decodeRows } from './sealing.ts'

/** Final, not voided, not replaced by a correction: the records that define the meetings so far. */
export function isCountedRecord(a: StoredAdministration): boolean {
  return a.status === 'final' && a.voided === null && a.supersededBy === null
}

/**
 * The rule (an ORS and the SRS of the same visit share a number):
 * - Let H be the highest session number among counted records of the episode (0 if none).
 * - An outcome-kind form (ORS, CORS, YCORS) opens a new meeting: H + 1.
 * - A session-kind form (SRS, CSRS, YCSRS, GSRS) joins meeting H when H has a counted
 *   outcome-kind form and no counted session-kind form yet; otherwise it is a meeting of its
 *   own: H + 1.
 * When every meeting has an outcome form this is "sessions with a final outcome form, + 1".
 * Using the highest number rather than a count keeps numbers unique when a meeting had only an
 * SRS, or when a voided form leaves a gap. Drafts do not count: two drafts started in the same
 * visit (e.g. a child's and a parent's CORS) get the same number. A collateral rater's form in a
 * meeting that already has a final outcome form, or a paper form entered late, passes its
 * session explicitly.
 */
export function nextSessionNumber(
  episodeRecords: readonly StoredAdministration[],
  instrumentId: InstrumentId,
): number {
  const counted = episodeRecords.filter(isCountedRecord)
  const highest = counted.reduce((max, a) => Math.max(max, a.session), 0)
  if (getInstrument(instrumentId).kind === 'outcome' || highest === 0) return highest + 1
  const inHighest = counted.filter((a) => a.session === highest)
  const hasOutcome = inHighest.some((a) => getInstrument(a.instrumentId).kind === 'outcome')
  const hasSessionForm = inHighest.some((a) => getInstrument(a.instrumentId).kind === 'session')
  return hasOutcome && !hasSessionForm ? highest : highest + 1
}

/** The number a new form of `instrumentId` would get in this episode now. */
export async function nextSessionFor(
  db: LinjaDb,
  episodeId: string,
  instrumentId: InstrumentId,
): Promise<number> {
  const rows = await db.administrations.where('episodeId').equals(episodeId).toArray()
  const records = await decodeRows<StoredAdministration>(db, 'administrations', rows)
  return nextSessionNumber(records, instrumentId)
}

/**
 * A draft's number is only what it would get when it was started: a draft left unfinished must
 * not keep a meeting's number that forms finished since have taken. It keeps its number unless
 * a counted form of the same kind by the same rater now has that number or a later one (e.g. a
 * draft resumed after the next visit's form was marked); then it gets the next one.
 */
export async function sessionAtFinish(db: LinjaDb, draft: StoredAdministration): Promise<number> {
  const rows = await db.administrations.where('episodeId').equals(draft.episodeId).toArray()
  const records = (await decodeRows<StoredAdministration>(db, 'administrations', rows)).filter(
    (a) => a.id !== draft.id,
  )
  const kind = getInstrument(draft.instrumentId).kind
  const taken = records
    .filter(isCountedRecord)
    .some(
      (a) =>
        a.rater === draft.rater &&
        getInstrument(a.instrumentId).kind === kind &&
        a.session >= draft.session,
    )
  return taken ? nextSessionNumber(records, draft.instrumentId) : draft.session
}
