// When someone gains access to a client (shared with them, or a new supervision link), the client's records get
// fresh server sequence numbers, so a device whose cursor is already past them still receives them (S15).
import type { ChangeMeta, SeqAllocator, Trx } from './store.ts'

/** Gives every record of the clients a new server sequence number, oldest first; returns how many moved. */
export async function restampClients(
  trx: Trx,
  clientIds: readonly string[],
  seq: SeqAllocator,
  meta: ChangeMeta,
): Promise<number> {
  if (clientIds.length === 0) return 0
  const rows = await trx
    .selectFrom('records')
    .select(['id', 'entity'])
    .where('client_id', 'in', clientIds)
    .orderBy('server_seq')
    .execute()
  // The client rows first, so a device never receives an episode before its client.
  const ordered = [
    ...rows.filter((r) => r.entity === 'client'),
    ...rows.filter((r) => r.entity !== 'client'),
  ]
  for (const row of ordered) {
    const serverSeq = seq.next()
    await trx
      .updateTable('records')
      .set({ server_seq: serverSeq })
      .where('id', '=', row.id)
      .execute()
    await trx
      .insertInto('change_log')
      .values({
        seq: serverSeq,
        record_id: row.id,
        op: 'access',
        device_id: meta.deviceId,
        person_id: meta.personId,
        at: meta.at,
      })
      .execute()
  }
  return ordered.length
}
