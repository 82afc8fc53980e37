import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { CompiledQuery } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { PulledChange } from '../../src/core/sync-protocol.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { pageQuery, pageStrategy } from '../../sync-server/src/sync/pull.ts'
import { backends } from './support/backends.ts'
import { freshWorlds } from './support/fresh-world.ts'
import { clientPayload, Device, episodePayload, orsPayload } from './support/ops.ts'
import type { Session } from './support/world.ts'

// Enough clients that a supervisor's pull walks the server order (pull.ts, BROAD_READER_CLIENTS).
const CLIENTS = 230

interface Page {
  changes: PulledChange[]
  cursor: string
  hasMore: boolean
}

// S13 for a reader of many clients: a fresh supervisor's full pull costs each page its own rows
// (issue 15: at 110,000 records it cost 1.44x per record what 11,000 did).
describe.each(backends())('sync pull of a reader of many clients (%s)', (backend) => {
  const setup = freshWorlds(backend)

  async function pullAll(app: FastifyInstance, s: Session, limit: number): Promise<PulledChange[]> {
    const out: PulledChange[] = []
    let cursor = ''
    for (;;) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/sync/pull?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        headers: s.headers,
      })
      expect(res?.statusCode).toBe(200)
      const page = res?.json<Page>() as Page
      expect(page.changes.length).toBeLessThanOrEqual(limit)
      out.push(...page.changes)
      cursor = page.cursor
      if (!page.hasMore) return out
    }
  }

  async function push(app: FastifyInstance, s: Session, device: Device, ops: unknown[]) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: s.headers,
      payload: device.body(ops),
    })
    expect(res?.statusCode).toBe(200)
  }

  it('S13/S15: a supervisor of many clients pulls each record once, in server order, and nothing of others', async () => {
    const { app, world } = await setup()
    const piaTablet = new Device()
    const clients = Array.from({ length: CLIENTS }, (_, i) =>
      clientPayload([world.pia.personId], `M-${i}`),
    )
    await push(
      app,
      world.pia,
      piaTablet,
      clients.map((c) => piaTablet.op('client', 'create', c)),
    )
    const forms = clients.slice(0, 100).flatMap((c) => {
      const e = episodePayload(c.id)
      return [
        piaTablet.op('episode', 'create', e),
        piaTablet.op('administration', 'create', orsPayload(c.id, e.id)),
      ]
    })
    await push(app, world.pia, piaTablet, forms)
    const olaTablet = new Device()
    const olas = clientPayload([world.ola.personId], 'O-1')
    await push(app, world.ola, olaTablet, [olaTablet.op('client', 'create', olas)])

    const vera = await pullAll(app, world.vera, 37)
    expect(vera).toHaveLength(CLIENTS + 200)
    expect(new Set(vera.map((c) => c.id)).size).toBe(vera.length)
    const seqs = vera.map((c) => c.serverSeq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(vera.every((c) => c.access === 'read')).toBe(true)
    expect(vera.some((c) => c.id === olas.id)).toBe(false)

    const pia = await pullAll(app, world.pia, 1000)
    expect(pia.map((c) => c.id)).toEqual(vera.map((c) => c.id))
    expect(pia.every((c) => c.access === 'write')).toBe(true)
    const ola = await pullAll(app, world.ola, 1000)
    expect(ola.map((c) => c.id)).toEqual([olas.id])
  })

  it('S13: a page for a reader of many clients walks the server order and looks each record up by its client alone', async () => {
    const { app, world, database } = await setup()
    const tablet = new Device()
    const ops = Array.from({ length: CLIENTS }, (_, i) =>
      tablet.op('client', 'create', clientPayload([world.pia.personId], `P-${i}`)),
    )
    await push(app, world.pia, tablet, ops)
    const opened = openDatabase({
      dataDir: database.env.DATA_DIR ?? '',
      databaseUrl: database.env.DATABASE_URL ?? null,
    })
    try {
      const plan = async (people: string[]) => {
        const strategy = await pageStrategy(opened.db, people)
        const c = pageQuery(opened.db, opened.dialect, people, 0, 1001, strategy).compile()
        const explain = backend === 'sqlite' ? 'explain query plan' : 'explain'
        const rows = await opened.db.executeQuery<Record<string, string>>(
          CompiledQuery.raw(`${explain} ${c.sql}`, [...c.parameters]),
        )
        return rows.rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n')
      }
      // A supervisor of many practitioners: vera's pull lists each of her supervisees.
      const supervisees = [world.pia.personId, ...Array.from({ length: 49 }, () => randomUUID())]
      const supervisor = await plan(supervisees)
      if (backend === 'sqlite') {
        expect(supervisor).not.toMatch(/TEMP B-TREE/)
        expect(supervisor).toMatch(/SEARCH records USING INDEX \S+ \(server_seq>\?\)/)
        // One lookup a record, not one per supervisee: (client_id=?), not (client_id=? AND person_id=?).
        expect(supervisor).toMatch(/SEARCH client_access .*\(client_id=\?\)/)
      } else {
        // The access check stays a per-row subplan: never a join that reads every record after the cursor.
        expect(supervisor).not.toMatch(/Join/)
        expect(supervisor).toMatch(/SubPlan/)
      }
      // A reader of few clients still goes client by client (cheap whatever the database's size).
      expect(await pageStrategy(opened.db, [world.ola.personId])).toBe('per-client')
      if (backend === 'sqlite') expect(await plan([world.ola.personId])).toMatch(/records_client/)
    } finally {
      await opened.close()
    }
  })
})
