// Applies one validated push operation to the records (corrections, tombstones, access), inside the push transaction.
import { randomUUID } from 'node:crypto'
import type { OpStatus, PushOperation } from '../../../src/core/sync-protocol.ts'
import { Refusal } from '../refusal.ts'
import { chainHead, chainProblem, startsChain } from './chain.ts'
import { checkScores } from './payloads.ts'
import type { RecordCache } from './record-cache.ts'
import { restampClients } from './restamp.ts'
import type { ChangeMeta, SeqAllocator } from './store.ts'

export interface ApplyOutcome {
  status: OpStatus
  serverSeq?: number
  serverVersion?: string
  reason?: string
}

export interface ApplyContext {
  cache: RecordCache
  seq: SeqAllocator
  personId: string
  /** Whose clients the caller may see: themselves, and a supervisor's supervisees (S15). */
  readers: readonly string[]
  /** The units the caller belongs to that are not retired: the only ones a client may be put in. */
  units: ReadonlySet<string>
  deviceId: string
  now: string
}

type Payload = Readonly<Record<string, unknown>>
/** A push operation of one entity: its payload has that entity's record shape (already checked). */
type OperationOf<E extends PushOperation['entity']> = Extract<PushOperation, { entity: E }>
const rejected = (reason: string): ApplyOutcome => ({ status: 'rejected', reason })

function keep(
  ctx: ApplyContext,
  op: PushOperation,
  kind: 'conflict' | 'rejected',
  reason: string,
  chainId: string | null,
  serverVersion: string | null,
): void {
  ctx.cache.keepConflict({
    id: randomUUID(),
    kind,
    record_id: op.entityId,
    chain_id: chainId,
    base_version: op.baseVersion ?? null,
    server_version: serverVersion,
    reason,
    payload: JSON.stringify(op.payload),
    device_id: ctx.deviceId,
    person_id: ctx.personId,
    created_at: ctx.now,
  })
}

/**
 * The record, if the caller may see it. One the caller may not see is answered exactly as an id
 * that does not exist (S19), so a push cannot learn that someone else's id is in use.
 */
async function visible(ctx: ApplyContext, id: string) {
  const row = await ctx.cache.find(id)
  if (!row) return undefined
  return (await ctx.cache.canRead(row.client_id, ctx.readers)) ? row : undefined
}

async function requireWrite(ctx: ApplyContext, clientId: string): Promise<void> {
  if (!(await ctx.cache.canWrite(clientId, ctx.personId))) {
    throw new Refusal(403, 'forbidden', 'You may not change this client’s records.', {
      entityId: clientId,
    })
  }
}

function meta(ctx: ApplyContext, op: PushOperation): ChangeMeta {
  return { op: op.op, deviceId: ctx.deviceId, personId: ctx.personId, at: ctx.now }
}

/** A new id taken by a record the caller may not see: the one answer that cannot look like a free id (S19). */
async function takenUnseen(ctx: ApplyContext, id: string): Promise<boolean> {
  return (await ctx.cache.find(id)) !== undefined && (await visible(ctx, id)) === undefined
}

async function applyClient(ctx: ApplyContext, op: OperationOf<'client'>): Promise<ApplyOutcome> {
  const p = op.payload
  if (await takenUnseen(ctx, op.entityId)) return rejected('already_exists')
  const existing = await visible(ctx, op.entityId)
  if (existing && existing.entity !== 'client') return rejected('entity_mismatch')
  if (existing) await requireWrite(ctx, existing.id)
  const unitId = p.unitId
  // S20: a client goes only into a unit of the practitioner's; a unit it already has stays.
  if (unitId !== null && unitId !== existing?.unit_id && !ctx.units.has(unitId)) {
    return rejected('unit_not_allowed')
  }
  const ownerId = existing?.owner_id ?? ctx.personId
  const serverSeq = ctx.cache.put(
    {
      id: op.entityId,
      entity: 'client',
      client_id: op.entityId,
      owner_id: ownerId,
      unit_id: unitId,
      chain_id: op.entityId,
      voided: 0,
      superseded_by: null,
      payload: JSON.stringify(p),
    },
    meta(ctx, op),
    existing !== undefined,
  )
  const sharedWith = p.practitionerIds
  if (!(await ctx.cache.setAccess(op.entityId, [ownerId, ...sharedWith]))) {
    return { status: 'applied', serverSeq }
  }
  // Shared with someone new: the client's records move up so their devices receive them (S15).
  const clientSeq = ctx.seq.last + 1
  await ctx.cache.writeRecords()
  await restampClients(ctx.cache.trx, [op.entityId], ctx.seq, meta(ctx, op))
  return { status: 'applied', serverSeq: clientSeq }
}

async function parentClient(ctx: ApplyContext, clientId: string) {
  const client = await visible(ctx, clientId)
  if (client?.entity !== 'client') return undefined
  await requireWrite(ctx, client.id)
  return client
}

async function applyEpisode(ctx: ApplyContext, op: OperationOf<'episode'>): Promise<ApplyOutcome> {
  const client = await parentClient(ctx, op.payload.clientId)
  if (!client) return rejected('unknown_client')
  if (await takenUnseen(ctx, op.entityId)) return rejected('already_exists')
  const existing = await visible(ctx, op.entityId)
  if (existing && (existing.entity !== 'episode' || existing.client_id !== client.id)) {
    return rejected('entity_mismatch')
  }
  const serverSeq = ctx.cache.put(
    {
      id: op.entityId,
      entity: 'episode',
      client_id: client.id,
      owner_id: existing?.owner_id ?? ctx.personId,
      unit_id: client.unit_id,
      chain_id: op.entityId,
      voided: 0,
      superseded_by: null,
      payload: JSON.stringify(op.payload),
    },
    meta(ctx, op),
    existing !== undefined,
  )
  return { status: 'applied', serverSeq }
}

function insertAdministration(
  ctx: ApplyContext,
  op: PushOperation,
  chainId: string,
  clientUnit: string | null,
  clientId: string,
): number {
  return ctx.cache.put(
    {
      id: op.entityId,
      entity: 'administration',
      client_id: clientId,
      owner_id: ctx.personId,
      unit_id: clientUnit,
      chain_id: chainId,
      voided: 0,
      superseded_by: null,
      payload: JSON.stringify(op.payload),
    },
    meta(ctx, op),
    false,
  )
}

async function applyAdministration(
  ctx: ApplyContext,
  op: OperationOf<'administration'>,
): Promise<ApplyOutcome> {
  const p = op.payload
  if (op.op === 'void') return applyVoid(ctx, op)
  const client = await parentClient(ctx, p.clientId)
  if (!client) return rejected('unknown_client')
  const episode = await visible(ctx, p.episodeId)
  if (episode?.entity !== 'episode' || episode.client_id !== client.id) {
    return rejected('unknown_episode')
  }
  if (await ctx.cache.find(op.entityId)) return rejected('already_exists')
  const scores = checkScores(p)
  if (!scores.ok) {
    keep(ctx, op, 'rejected', scores.message, null, null)
    return rejected(scores.message)
  }
  if (op.op === 'create') {
    // S10: a new form starts its own chain; only a correction may name earlier versions.
    if (!startsChain(p, op.entityId)) return rejected('invalid_version_chain')
    const serverSeq = insertAdministration(ctx, op, op.entityId, client.unit_id, client.id)
    return { status: 'applied', serverSeq }
  }
  // A correction applies only when the server is still at the version it was made from.
  const base = op.baseVersion ? await visible(ctx, op.baseVersion) : undefined
  if (base?.entity !== 'administration' || base.client_id !== client.id) {
    keep(ctx, op, 'rejected', 'unknown_base', null, null)
    return rejected('unknown_base')
  }
  const chainFault = chainProblem(p, base, ctx.personId)
  if (chainFault) {
    keep(ctx, op, 'rejected', chainFault, base.chain_id, null)
    return rejected(chainFault)
  }
  await ctx.cache.writeRecords()
  const head = await chainHead(ctx.cache.trx, base)
  if (!head || head.id !== base.id || head.voided === 1) {
    const winner = head?.id ?? base.id
    keep(ctx, op, 'conflict', 'server_version_wins', base.chain_id, winner)
    return { status: 'conflict', serverVersion: winner, reason: 'server_version_wins' }
  }
  const serverSeq = insertAdministration(ctx, op, base.chain_id, client.unit_id, client.id)
  const basePayload = { ...(JSON.parse(base.payload) as Payload), supersededBy: op.entityId }
  ctx.cache.put(
    { ...base, superseded_by: op.entityId, payload: JSON.stringify(basePayload) },
    { ...meta(ctx, op), op: 'superseded' },
    true,
  )
  return { status: 'applied', serverSeq }
}

/** A void is a tombstone: the record stays, marked voided, and pull returns it like any change. */
async function applyVoid(
  ctx: ApplyContext,
  op: OperationOf<'administration'>,
): Promise<ApplyOutcome> {
  const existing = await visible(ctx, op.entityId)
  if (existing?.entity !== 'administration') return rejected('unknown_record')
  await requireWrite(ctx, existing.client_id)
  if (existing.voided === 1) return { status: 'applied', serverSeq: existing.server_seq }
  const voided = op.payload.voided
  if (voided === null) return rejected('void_without_reason')
  // Only the void mark is taken from the device: a void never changes scores.
  const stored = { ...(JSON.parse(existing.payload) as Payload), voided }
  const serverSeq = ctx.cache.put(
    { ...existing, voided: 1, payload: JSON.stringify(stored) },
    meta(ctx, op),
    true,
  )
  return { status: 'applied', serverSeq }
}

export async function applyOperation(ctx: ApplyContext, op: PushOperation): Promise<ApplyOutcome> {
  switch (op.entity) {
    case 'client':
      return applyClient(ctx, op)
    case 'episode':
      return applyEpisode(ctx, op)
    case 'administration':
      return applyAdministration(ctx, op)
  }
}
