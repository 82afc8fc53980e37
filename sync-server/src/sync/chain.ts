// Correction chains (S10): which versions a form may name, and the chain's current head.
import type { RecordsTable } from '../db/schema.ts'
import type { Trx } from './store.ts'

type Payload = Readonly<Record<string, unknown>>

/** A new form names no other version: it is the first of its own chain. */
export function startsChain(p: Payload, id: string): boolean {
  return (
    (p.versionOf === null || p.versionOf === id) && p.supersedes === null && p.supersededBy === null
  )
}

/**
 * Why a correction made from `base` does not belong to base's chain, or null when it does. A chain
 * is one client's and one practitioner's: only the practitioner who made the first version
 * corrects it, and the correction names that chain and the version it replaces.
 */
export function chainProblem(p: Payload, base: RecordsTable, personId: string): string | null {
  if (base.owner_id !== personId) return 'chain_of_another_practitioner'
  if (p.versionOf !== base.chain_id || p.supersedes !== base.id || p.supersededBy !== null) {
    return 'invalid_version_chain'
  }
  return null
}

/**
 * The chain's current version: not superseded, of the chain's client and owner. Rows written
 * before chains were checked may have named a foreign chain; they never count, and should a
 * chain still have two open ends, the newest wins, the same one every time.
 */
export async function chainHead(trx: Trx, base: RecordsTable): Promise<RecordsTable | undefined> {
  return trx
    .selectFrom('records')
    .selectAll()
    .where('chain_id', '=', base.chain_id)
    .where('superseded_by', 'is', null)
    .where('entity', '=', 'administration')
    .where('client_id', '=', base.client_id)
    .where('owner_id', '=', base.owner_id)
    .orderBy('server_seq', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
}
