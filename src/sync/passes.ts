// One push pass (the whole outbox, in device order, in batches) and one pull pass (pages until up to date).
import {
  DEFAULT_PULL_LIMIT,
  MAX_PUSH_OPERATIONS,
  PROTOCOL_VERSION,
  type PushRequest,
  SYNC_ERRORS,
} from '../core/sync-protocol.ts'
import { applyRemoteChanges, type LinjaDb, type RefusedChange } from '../storage/index.ts'
import type { AuthorisedCall } from './authorised.ts'
import type { SyncConflict } from './conflicts.ts'
import { getDeviceKey } from './device-key.ts'
import { isSyncHttpError, SyncHttpError } from './errors.ts'
import { prepareBatch, renumberFrom, settlePush } from './outbox-wire.ts'
import { loadCursor, saveCursor } from './session.ts'
import type { SyncTransport } from './transport.ts'

export interface PassContext {
  db: LinjaDb
  transport: SyncTransport
  call: AuthorisedCall
  now: () => Date
  batchSize?: number
  pullLimit?: number
  /** Hears the device clock minus the server clock after each answer that carries the server's time. */
  observeSkew?: (skewMs: number) => void
}

/**
 * Runs `request` and measures the device clock against `serverTime` in its answer, taking the
 * middle of the round trip as the moment the server answered (S17).
 */
async function timed<T extends { serverTime?: string }>(
  ctx: PassContext,
  request: () => Promise<T>,
): Promise<T> {
  const sent = ctx.now().getTime()
  const answer = await request()
  const server = Date.parse(answer.serverTime ?? '')
  if (Number.isFinite(server)) ctx.observeSkew?.((sent + ctx.now().getTime()) / 2 - server)
  return answer
}

export interface PushOutcome {
  batches: number
  acknowledged: number
  refusals: SyncConflict[]
  /** From the last answer; undefined when no push was answered. */
  clockSkewMs: number | null | undefined
  serverEpoch: string | null
  /** The server had lost changes it once acknowledged (restored from a backup): pull everything again. */
  serverLostChanges: boolean
}

export async function pushAll(ctx: PassContext): Promise<PushOutcome> {
  const outcome: PushOutcome = {
    batches: 0,
    acknowledged: 0,
    refusals: [],
    clockSkewMs: undefined,
    serverEpoch: null,
    serverLostChanges: false,
  }
  let renumbered = 0
  for (;;) {
    const batch = await prepareBatch(ctx.db, ctx.batchSize ?? MAX_PUSH_OPERATIONS)
    if (!batch) return outcome
    const request: PushRequest = {
      protocolVersion: PROTOCOL_VERSION,
      deviceId: batch.deviceId,
      deviceKey: await getDeviceKey(ctx.db),
      sentAt: ctx.now().toISOString(),
      operations: batch.operations,
    }
    let answer: Awaited<ReturnType<SyncTransport['push']>>
    try {
      answer = await timed(ctx, () => ctx.call((token) => ctx.transport.push(token, request)))
    } catch (error) {
      const expected = isSyncHttpError(error) ? error.body.expected : undefined
      if (
        isSyncHttpError(error) &&
        error.code === SYNC_ERRORS.seqGap &&
        typeof expected === 'number' &&
        renumbered < 2
      ) {
        renumbered += 1
        outcome.serverLostChanges = true
        await renumberFrom(
          ctx.db,
          batch.deviceId,
          expected,
          batch.entries.map((e) => e.seq),
        )
        continue
      }
      throw error
    }
    // Network and IndexedDB never share a transaction: the answer is settled in a new one.
    const settled = await settlePush(ctx.db, batch, answer)
    outcome.batches += 1
    outcome.acknowledged += settled.removed
    outcome.refusals.push(...settled.refusals)
    outcome.clockSkewMs = answer.clockSkewMs ?? null
    outcome.serverEpoch = answer.serverEpoch
    if (settled.removed === 0) {
      throw new SyncHttpError(0, 'no_progress', {}, 'The server acknowledged none of the changes.')
    }
  }
}

export interface PullOutcome {
  pages: number
  changes: number
  serverEpoch: string | null
  fromScratch: boolean
  /** Records the server sent in a shape this app does not know: not stored (the sync reports them). */
  refused: RefusedChange[]
}

const RESTART_CODES: readonly string[] = [SYNC_ERRORS.epochChanged, SYNC_ERRORS.cursorAhead]

/** S13/S14: pages until `hasMore:false`, the cursor stored after each page; another epoch restarts from no cursor. */
export async function pullAll(ctx: PassContext, fromScratch: boolean): Promise<PullOutcome> {
  let cursor = fromScratch ? null : await loadCursor(ctx.db)
  if (fromScratch) await saveCursor(ctx.db, null)
  const outcome: PullOutcome = {
    pages: 0,
    changes: 0,
    serverEpoch: null,
    fromScratch: cursor === null,
    refused: [],
  }
  for (;;) {
    const from = cursor
    let page: Awaited<ReturnType<SyncTransport['pull']>>
    try {
      page = await timed(ctx, () =>
        ctx.call((token) => ctx.transport.pull(token, from, ctx.pullLimit ?? DEFAULT_PULL_LIMIT)),
      )
    } catch (error) {
      if (isSyncHttpError(error) && RESTART_CODES.includes(error.code) && from !== null) {
        // The outbox is not touched: unsent changes stay and go out on the next push.
        cursor = null
        outcome.fromScratch = true
        await saveCursor(ctx.db, null)
        continue
      }
      throw error
    }
    const applied = await applyRemoteChanges(ctx.db, page.changes)
    outcome.refused.push(...applied.refused)
    await saveCursor(ctx.db, page.cursor)
    cursor = page.cursor
    outcome.pages += 1
    outcome.changes += page.changes.length
    outcome.serverEpoch = page.serverEpoch
    if (!page.hasMore) return outcome
  }
}
