// Fictional demo clients with ORS/SRS series, written through the same record store as pushes.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { getInstrument, roundScore, totalScore } from '../../../src/core/index.ts'
import type { Dialect } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import {
  lockCounter,
  putRecord,
  SeqAllocator,
  setClientAccess,
  storeCounter,
} from '../sync/store.ts'

export interface DemoCaseload {
  personId: string
  unitId: string
  codes: readonly string[]
}

const DAY = 24 * 60 * 60 * 1000

function items(instrumentId: 'ORS' | 'SRS', level: number, seed: number): Record<string, number> {
  const instrument = getInstrument(instrumentId)
  const out: Record<string, number> = {}
  instrument?.items.forEach((item, i) => {
    const wobble = ((seed * 7 + i * 3) % 11) / 10 - 0.5
    out[item.id] = roundScore(Math.min(10, Math.max(0, level + wobble)))
  })
  return out
}

export async function seedDemoRecords(
  db: Kysely<Database>,
  dialect: Dialect,
  caseloads: readonly DemoCaseload[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const seq = new SeqAllocator(await lockCounter(trx, dialect))
    const start = Date.now() - 70 * DAY
    let n = 0
    for (const { personId, unitId, codes } of caseloads) {
      for (const code of codes) {
        n += 1
        const at = new Date(start).toISOString()
        const meta = { op: 'create', deviceId: null, personId, at }
        const clientId = randomUUID()
        const client = {
          id: clientId,
          code,
          codeSearch: code.toLowerCase(),
          birthYear: 1980 + n,
          ageGroup: 'adult',
          unitId,
          practitionerIds: [personId],
          archivedAt: null,
          createdAt: at,
          updatedAt: at,
        }
        const base = { owner_id: personId, unit_id: unitId, voided: 0, superseded_by: null }
        await putRecord(
          trx,
          {
            ...base,
            id: clientId,
            entity: 'client',
            client_id: clientId,
            chain_id: clientId,
            payload: JSON.stringify(client),
          },
          seq,
          meta,
          false,
        )
        await setClientAccess(trx, clientId, [personId])
        const episodeId = randomUUID()
        const sessions = 3 + (n % 4)
        const ended = n % 2 === 0
        const episode = {
          id: episodeId,
          clientId,
          startedAt: at,
          endedAt: ended ? new Date(start + sessions * 7 * DAY).toISOString() : null,
          ending: ended ? 'planned' : null,
          endStatus: null,
          updatedAt: at,
        }
        await putRecord(
          trx,
          {
            ...base,
            id: episodeId,
            entity: 'episode',
            client_id: clientId,
            chain_id: episodeId,
            payload: JSON.stringify(episode),
          },
          seq,
          meta,
          false,
        )
        for (let s = 1; s <= sessions; s++) {
          const markedAt = new Date(start + (s - 1) * 7 * DAY).toISOString()
          for (const instrumentId of ['ORS', 'SRS'] as const) {
            // A mixed caseload, so a newcomer sees every colour: most clients improve with a
            // good alliance; every fourth gets worse, every fifth has a late drop in the SRS.
            const worsening = n % 4 === 3
            const lateSrsDrop = n % 5 === 0 && s === sessions
            const level =
              instrumentId === 'ORS'
                ? worsening
                  ? 5.5 - s * 0.5
                  : 3.5 + s * 0.8 + (n % 3) * 0.3
                : lateSrsDrop
                  ? 7.6
                  : 9.4
            // The SRS wobble stays the same across a client's sessions, so only the planned drop shows.
            const marks = items(instrumentId, level, instrumentId === 'SRS' ? n : n + s)
            const id = randomUUID()
            const administration = {
              id,
              clientId,
              episodeId,
              instrumentId,
              instrumentVersion: '1',
              items: marks,
              total: totalScore(marks),
              rater: 'client',
              collectedBy: 'tablet',
              session: s,
              markedAt,
              startedAt: markedAt,
              status: 'final',
              locale: 'nb',
              groupSessionId: null,
              memberLabel: null,
              versionOf: null,
              supersedes: null,
              supersededBy: null,
              correctionReason: null,
              voided: null,
              createdAt: markedAt,
              updatedAt: markedAt,
            }
            await putRecord(
              trx,
              {
                ...base,
                id,
                entity: 'administration',
                client_id: clientId,
                chain_id: id,
                payload: JSON.stringify(administration),
              },
              seq,
              { ...meta, at: markedAt },
              false,
            )
          }
        }
      }
    }
    await storeCounter(trx, seq.last)
  })
}
