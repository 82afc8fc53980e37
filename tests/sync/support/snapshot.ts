// What a device holds and what the server holds, reduced to the fields that must agree.
import type { FastifyInstance } from 'fastify'
import type { PulledChange } from '../../../src/core/sync-protocol.ts'
import {
  type LinjaDb,
  listAllAdministrations,
  listAllEpisodes,
  listClients,
} from '../../../src/storage/index.ts'

const ALL = { includeDrafts: true, includeVoided: true, includeSuperseded: true }

import { login, PASSWORD } from '../../server/support/world.ts'

export interface RecordView {
  entity: string
  items: string | null
  total: number | null
  voided: boolean
  supersededBy: string | null
}

export type Snapshot = Map<string, RecordView>

export async function deviceSnapshot(db: LinjaDb): Promise<Snapshot> {
  const out: Snapshot = new Map()
  for (const c of await listClients(db, { includeArchived: true })) {
    out.set(c.id, { entity: 'client', items: null, total: null, voided: false, supersededBy: null })
  }
  for (const e of await listAllEpisodes(db)) {
    out.set(e.id, {
      entity: 'episode',
      items: null,
      total: null,
      voided: false,
      supersededBy: null,
    })
  }
  for (const a of await listAllAdministrations(db, ALL)) {
    out.set(a.id, {
      entity: 'administration',
      items: JSON.stringify(a.items),
      total: a.total,
      voided: a.voided !== null,
      supersededBy: a.supersededBy,
    })
  }
  return out
}

/** A pulled change reduced like a device record. */
export function viewOf(c: PulledChange): RecordView {
  return {
    entity: c.entity,
    items: c.entity === 'administration' ? JSON.stringify(c.payload.items) : null,
    total: c.entity === 'administration' ? c.payload.total : null,
    voided: c.voided,
    supersededBy: c.entity === 'administration' ? c.supersededBy : null,
  }
}

export interface ServerPass {
  snapshot: Snapshot
  /** Every id in the order the full pull returned it (S13: each once per pass). */
  ids: string[]
}

/** A full pull from no cursor, as `username` on a fresh session, in small pages. */
export async function serverSnapshot(app: FastifyInstance, username: string): Promise<ServerPass> {
  const session = await login(app, username, PASSWORD, 'checker')
  const snapshot: Snapshot = new Map()
  const ids: string[] = []
  let cursor: string | null = null
  for (;;) {
    const query: string = cursor === null ? '' : `&cursor=${cursor}`
    const res = await app.inject({
      method: 'GET',
      url: `/api/sync/pull?limit=7${query}`,
      headers: session.headers,
    })
    const page = res.json<{ changes: PulledChange[]; cursor: string; hasMore: boolean }>()
    for (const c of page.changes) {
      ids.push(c.id)
      snapshot.set(c.id, viewOf(c))
    }
    cursor = page.cursor
    if (!page.hasMore) return { snapshot, ids }
  }
}
