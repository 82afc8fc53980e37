// One push: idempotency by (deviceId, seq), gap and reuse checks, then each operation applied in device order,
// inside a group commit shared with the pushes that arrived alongside it (group-commit.ts).
import { hash } from 'node:crypto'
import type { Role } from '../../../src/core/sync-protocol.ts'
import {
  CLOCK_SKEW_WARNING_MS,
  type OpResult,
  type PushOperation,
  type PushRequest,
  type PushResponse,
  type SyncEntity,
  type SyncOp,
} from '../../../src/core/sync-protocol.ts'
import type { AppContext } from '../context.ts'
import type { AppliedOpsTable } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import { refreshEpisodeFacts } from '../reports/facts.ts'
import { applyOperation } from './apply.ts'
import { CommitGroup, type PushPlan } from './commit-group.ts'
import { checkDeviceClaim } from './device-binding.ts'
import type { BatchHooks } from './group-commit.ts'
import { readablePeople } from './pull.ts'
import { RecordCache } from './record-cache.ts'
import type { SeqAllocator } from './store.ts'

const ALLOWED_OPS: Record<SyncEntity, readonly SyncOp[]> = {
  client: ['create', 'update'],
  episode: ['create', 'update', 'end'],
  administration: ['create', 'correct', 'void'],
}

/** A string needing none of JSON's escapes: JSON.stringify would only add the quotes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/
const quote = (text: string) => (PLAIN.test(text) ? `"${text}"` : JSON.stringify(text))
/** Object keys as JSON, kept: the same few field names come in every operation. */
const quotedKeys = new Map<string, string>()
function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key)
  if (quoted === undefined) {
    quoted = quote(key)
    if (quotedKeys.size < 1000 && key.length <= 64) quotedKeys.set(key, quoted)
  }
  return quoted
}

/**
 * The operation as canonical JSON (keys sorted, undefined left out): the text its hash is made of.
 * The text must never change, or stored hashes stop matching retries; it is built with plain
 * loops, and strings without escapes are quoted directly, because it runs for every pushed
 * operation.
 */
function stable(value: unknown): string {
  if (typeof value === 'string') return quote(value)
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++)
      out += i === 0 ? stable(value[i]) : `,${stable(value[i])}`
    return `${out}]`
  }
  const object = value as Record<string, unknown>
  // Sorted by UTF-16 code units, as `<` compares strings.
  const keys = Object.keys(object).sort()
  let out = '{'
  for (const key of keys) {
    const v = object[key]
    if (v === undefined) continue
    out += `${out.length === 1 ? '' : ','}${quoteKey(key)}:${stable(v)}`
  }
  return `${out}}`
}

/** Hash of everything the device sent for one operation; a retry must match it exactly. */
export function contentHash(op: PushOperation): string {
  return hash('sha256', stable(op), 'base64url')
}

/**
 * Checks that need no database and no schema (the body passed pushBodyProblem, which checked every
 * payload against its entity's schema); a failure refuses the whole push with 400.
 */
export function precheck(body: PushRequest): PushOperation[] {
  const seen = new Set<number>()
  for (const op of body.operations) {
    const bad = (message: string) =>
      new Refusal(400, 'invalid_operation', `Operation seq ${op.seq}: ${message}`, {
        seq: op.seq,
      })
    if (op.deviceId !== body.deviceId) throw bad('deviceId differs from the push’s deviceId')
    if (seen.has(op.seq)) throw bad('seq appears twice in this push')
    seen.add(op.seq)
    if (!ALLOWED_OPS[op.entity].includes(op.op)) throw bad(`${op.op} is not an op for ${op.entity}`)
    if (op.payload.id !== op.entityId) throw bad('payload.id differs from entityId')
    if (op.op === 'correct' && !op.baseVersion) throw bad('a correction needs baseVersion')
  }
  return [...body.operations].sort((a, b) => a.seq - b.seq)
}

export function clockSkew(body: PushRequest, nowMs: number): number | undefined {
  let skew: number | undefined
  if (body.sentAt) {
    skew = Date.parse(body.sentAt) - nowMs
  } else {
    // Without sentAt only a createdAt in the future proves a wrong clock: old ones may have waited offline.
    const newest = Math.max(...body.operations.map((o) => Date.parse(o.createdAt)))
    if (newest > nowMs) skew = newest - nowMs
  }
  if (skew === undefined || !Number.isFinite(skew)) return undefined
  return Math.abs(skew) > CLOCK_SKEW_WARNING_MS ? Math.round(skew) : undefined
}

export interface Pusher {
  personId: string
  sessionId: string
  roles: readonly Role[]
}

/** Every record id the new operations name: read for the whole group commit in a few queries. */
function referencedIds(ops: readonly PushOperation[]): string[] {
  const ids: string[] = []
  for (const op of ops) {
    ids.push(op.entityId)
    if (op.baseVersion) ids.push(op.baseVersion)
    if (op.entity !== 'client') ids.push(op.payload.clientId)
    if (op.entity === 'administration') ids.push(op.payload.episodeId)
  }
  return ids
}

/** The clients whose access the operations check. */
function referencedClients(ops: readonly PushOperation[]): string[] {
  return ops.map((op) => (op.entity === 'client' ? op.entityId : op.payload.clientId))
}

export function planOf(
  personId: string,
  body: PushRequest,
  ops: readonly PushOperation[],
): PushPlan {
  return {
    deviceId: body.deviceId,
    personId,
    recordIds: referencedIds(ops),
    clientIds: referencedClients(ops),
  }
}

/** How the group committer opens and closes the shared state of a batch of pushes. */
export const pushBatches: BatchHooks<PushPlan, CommitGroup> = {
  open: async (trx, seq, plans, shared) => {
    const group = new CommitGroup(trx, seq, shared)
    await group.prefetch(plans)
    return group
  },
  close: async (group) => {
    await group.flush()
    // The reports' read model changes in the same transaction as the records it is made from.
    await refreshEpisodeFacts(group.trx, [...group.changedClients])
  },
}

interface PushInput {
  pusher: Pusher
  body: PushRequest
  ops: PushOperation[]
  readers: readonly string[]
  nowIso: string
}

/**
 * One push's whole work inside the shared transaction of its group commit (group-commit.ts). It
 * runs inside the push's own savepoint: a refusal thrown here undoes this push only.
 */
async function applyPush(
  cache: RecordCache,
  seq: SeqAllocator,
  input: PushInput,
): Promise<{ out: OpResult[]; last: number }> {
  const { pusher, body, ops, readers, nowIso } = input
  const { personId } = pusher
  await checkDeviceClaim(cache, {
    deviceId: body.deviceId,
    deviceKey: body.deviceKey,
    personId,
    sessionId: pusher.sessionId,
    at: nowIso,
  })
  const units = await cache.unitsOf(personId)
  let last = await cache.lastSeq(body.deviceId)
  const out: OpResult[] = []
  const applied: AppliedOpsTable[] = []
  for (const op of ops) {
    const hash = contentHash(op)
    if (op.seq <= last) {
      const prior = await cache.applied(body.deviceId, op.seq)
      if (!prior || prior.content_hash !== hash) {
        throw new Refusal(
          409,
          'seq_reused',
          `Sequence ${op.seq} of this device was acknowledged with other content (a cloned or restored device?).`,
          { seq: op.seq },
        )
      }
      out.push({ ...(JSON.parse(prior.result) as OpResult), duplicate: true })
      continue
    }
    if (op.seq !== last + 1) {
      throw new Refusal(409, 'seq_gap', `Expected sequence ${last + 1}, got ${op.seq}.`, {
        expected: last + 1,
        seq: op.seq,
      })
    }
    const outcome = await applyOperation(
      { cache, seq, personId, readers, units, deviceId: body.deviceId, now: nowIso },
      op,
    )
    const result: OpResult = { seq: op.seq, opId: op.opId, duplicate: false, ...outcome }
    applied.push({
      device_id: body.deviceId,
      device_seq: op.seq,
      op_id: op.opId,
      content_hash: hash,
      person_id: personId,
      result: JSON.stringify(result),
      applied_at: nowIso,
    })
    last = op.seq
    out.push(result)
  }
  cache.markApplied(body.deviceId, applied, last)
  // Nothing can refuse the push from here: its reads and writes become the group's.
  cache.commitToGroup()
  return { out, last }
}

export async function runPush(
  ctx: AppContext,
  pusher: Pusher,
  body: PushRequest,
): Promise<PushResponse> {
  const ops = precheck(body)
  const now = new Date()
  const { readOnly } = await readablePeople(ctx.db, pusher.personId, pusher.roles)
  const input = {
    pusher,
    body,
    ops,
    readers: [pusher.personId, ...readOnly],
    nowIso: now.toISOString(),
  }
  const plan = planOf(pusher.personId, body, ops)
  const results = await ctx.pushes.submit(plan, Math.max(1, ops.length), (group, savepoint) =>
    applyPush(new RecordCache(group, savepoint), group.seq, input),
  )
  const response: PushResponse = {
    results: results.out,
    ackedThrough: results.last,
    serverEpoch: ctx.epoch,
  }
  const skew = body.operations.length > 0 ? clockSkew(body, now.getTime()) : undefined
  if (skew !== undefined) response.clockSkewMs = skew
  return response
}
