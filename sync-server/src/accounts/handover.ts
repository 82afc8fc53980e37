// Hands a practitioner's clients to another: owner, client_access and the client's practitionerIds in the records table.
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import { refreshEpisodeFacts } from '../reports/facts.ts'
import { restampClients } from '../sync/restamp.ts'
import type { ChangeMeta, SeqAllocator } from '../sync/store.ts'

/** Moves every client `fromId` may write to `toId`; returns how many clients moved. */
export async function handOverClients(
  trx: Transaction<Database>,
  fromId: string,
  toId: string,
  seq: SeqAllocator,
  meta: ChangeMeta,
): Promise<number> {
  const rows = await trx
    .selectFrom('client_access')
    .select('client_id')
    .where('person_id', '=', fromId)
    .execute()
  const clientIds = rows.map((r) => r.client_id)
  if (clientIds.length === 0) return 0
  await trx.deleteFrom('client_access').where('person_id', '=', fromId).execute()
  for (const clientId of clientIds) {
    await trx
      .insertInto('client_access')
      .values({ client_id: clientId, person_id: toId })
      .onConflict((oc) => oc.columns(['client_id', 'person_id']).doNothing())
      .execute()
  }
  await trx
    .updateTable('records')
    .set({ owner_id: toId })
    .where('owner_id', '=', fromId)
    .where('client_id', 'in', clientIds)
    .execute()
  // The device reads who may write a client from its payload: keep it in step with client_access.
  const clients = await trx
    .selectFrom('records')
    .select(['id', 'payload'])
    .where('entity', '=', 'client')
    .where('id', 'in', clientIds)
    .execute()
  for (const c of clients) {
    const payload = JSON.parse(c.payload) as { practitionerIds?: unknown }
    const before = Array.isArray(payload.practitionerIds) ? payload.practitionerIds : []
    const after = [...new Set(before.map((p) => (p === fromId ? toId : p)))]
    if (!after.includes(toId)) after.push(toId)
    await trx
      .updateTable('records')
      .set({ payload: JSON.stringify({ ...payload, practitionerIds: after }), updated_at: meta.at })
      .where('id', '=', c.id)
      .execute()
  }
  // The new practitioner's devices are past these records already: move them up (S15).
  await restampClients(trx, clientIds, seq, meta)
  // The episodes' owner is in their report facts.
  await refreshEpisodeFacts(trx, clientIds)
  return clientIds.length
}
