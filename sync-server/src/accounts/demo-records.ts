// Fictional demo clients with ORS/SRS series, sent as a tablet would: push operations from a
// device of each demo practitioner, checked and applied by the push route's own code.
import { randomBytes, randomUUID } from 'node:crypto'
import { getInstrument, roundScore, totalScore } from '../../../src/core/index.ts'
import { finalForm } from '../../../src/core/record-builders.ts'
import { PROTOCOL_VERSION } from '../../../src/core/sync-protocol.ts'
import type { PushOperation, PushRequest } from '../../../src/core/sync-schemas.ts'
import type { AppContext } from '../context.ts'
import { pushBodyProblem } from '../sync/payloads.ts'
import { runPush } from '../sync/push.ts'

export interface DemoCaseload {
  personId: string
  unitId: string
  codes: readonly string[]
}

/** Test seam: changes the operations before they are pushed (tests prove a bad one stops the seed). */
export type DemoOperationsHook = (ops: PushOperation[]) => PushOperation[]

/** An operation before the outbox numbers it (per entity, so the payload keeps its shape). */
type Unnumbered = PushOperation extends infer O
  ? O extends PushOperation
    ? Omit<O, 'seq' | 'opId' | 'deviceId'>
    : never
  : never

const DAY = 24 * 60 * 60 * 1000
const CHUNK = 200

function items(instrumentId: 'ORS' | 'SRS', level: number, seed: number): Record<string, number> {
  const instrument = getInstrument(instrumentId)
  const out: Record<string, number> = {}
  instrument?.items.forEach((item, i) => {
    const wobble = ((seed * 7 + i * 3) % 11) / 10 - 0.5
    out[item.id] = roundScore(Math.min(10, Math.max(0, level + wobble)))
  })
  return out
}

/** One practitioner's caseload as the outbox of their tablet would hold it, in device order. */
function caseloadOperations(
  deviceId: string,
  { unitId, personId, codes }: DemoCaseload,
  start: number,
  first: number,
): PushOperation[] {
  const ops: PushOperation[] = []
  const add = (op: Unnumbered): void => {
    ops.push({ ...op, seq: ops.length + 1, opId: randomUUID(), deviceId })
  }
  let n = first
  for (const code of codes) {
    n += 1
    const at = new Date(start).toISOString()
    const clientId = randomUUID()
    add({
      entity: 'client',
      op: 'create',
      entityId: clientId,
      createdAt: at,
      payload: {
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
      },
    })
    const episodeId = randomUUID()
    const sessions = 3 + (n % 4)
    const episode = {
      id: episodeId,
      clientId,
      startedAt: at,
      endedAt: null,
      ending: null,
      endStatus: null,
      updatedAt: at,
    }
    add({ entity: 'episode', op: 'create', entityId: episodeId, createdAt: at, payload: episode })
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
        add({
          entity: 'administration',
          op: 'create',
          entityId: id,
          createdAt: markedAt,
          payload: finalForm({
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
            locale: 'nb',
          }),
        })
      }
    }
    if (n % 2 === 0) {
      const endedAt = new Date(start + sessions * 7 * DAY).toISOString()
      add({
        entity: 'episode',
        op: 'end',
        entityId: episodeId,
        createdAt: endedAt,
        payload: { ...episode, endedAt, ending: 'planned', updatedAt: endedAt },
      })
    }
  }
  return ops
}

/** Marks the demo seed's device sessions, which were never a tablet (the tablets list leaves them out). */
export const DEMO_SEED = 'demo_seed'

/** The device session a tablet gets at sign-in; revoked at once, as no one holds its tokens. */
async function demoDevice(ctx: AppContext, personId: string, deviceId: string): Promise<string> {
  const id = randomUUID()
  const now = new Date().toISOString()
  await ctx.db
    .insertInto('device_sessions')
    .values({
      id,
      person_id: personId,
      device_name: 'Demo seed',
      device_id: deviceId,
      refresh_hash: randomBytes(32).toString('base64url'),
      created_at: now,
      last_contact_at: now,
      app_version: null,
      revoked_at: now,
      revoked_reason: DEMO_SEED,
      wipe: 0,
    })
    .execute()
  return id
}

/** Pushes each caseload through the push route's checks and apply; any refusal stops the start. */
export async function seedDemoRecords(
  ctx: AppContext,
  caseloads: readonly DemoCaseload[],
  hook: DemoOperationsHook = (ops) => ops,
): Promise<void> {
  const start = Date.now() - 70 * DAY
  let first = 0
  for (const caseload of caseloads) {
    const deviceId = randomUUID()
    const deviceKey = randomBytes(32).toString('base64url')
    const sessionId = await demoDevice(ctx, caseload.personId, deviceId)
    const ops = hook(caseloadOperations(deviceId, caseload, start, first))
    first += caseload.codes.length
    for (let i = 0; i < ops.length; i += CHUNK) {
      const body: PushRequest = {
        protocolVersion: PROTOCOL_VERSION,
        deviceId,
        deviceKey,
        sentAt: new Date().toISOString(),
        operations: ops.slice(i, i + CHUNK),
      }
      const problem = pushBodyProblem(body)
      if (problem) throw new Error(`Demo seed refused: ${problem.code}: ${problem.message}`)
      const answer = await runPush(
        ctx,
        { personId: caseload.personId, sessionId, roles: ['practitioner'] },
        body,
      )
      const refused = answer.results.find((r) => r.status !== 'applied')
      if (refused) {
        throw new Error(
          `Demo seed refused: operation seq ${refused.seq} ${refused.status} ${refused.reason ?? ''}`,
        )
      }
    }
  }
}
