import { afterEach, describe, expect, it } from 'vitest'
import type { PulledChange } from '../../src/core/sync-protocol.ts'
import { encodeCursor } from '../../sync-server/src/sync/pull.ts'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device } from './support/ops.ts'
import { makeWorld, type Session } from './support/world.ts'

interface Page {
  changes: PulledChange[]
  cursor: string
  hasMore: boolean
  serverEpoch: string
}

describe.each(backends())('sync pull (%s)', (backend) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  async function setup() {
    server = await serverFor(backend)
    return { app: server.app, world: await makeWorld(server.app) }
  }

  const push = async (s: Session, device: Device, ops: unknown[]) => {
    const res = await server?.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: s.headers,
      payload: device.body(ops),
    })
    expect(res?.statusCode).toBe(200)
  }

  const pull = (s: Session, query = '') =>
    server?.app.inject({ method: 'GET', url: `/api/sync/pull${query}`, headers: s.headers })

  async function pullAll(s: Session, limit: number): Promise<{ pages: Page[]; ids: string[] }> {
    const pages: Page[] = []
    let cursor = ''
    for (;;) {
      const res = await pull(s, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res?.statusCode).toBe(200)
      const page = res?.json<Page>() as Page
      pages.push(page)
      cursor = page.cursor
      if (!page.hasMore) break
    }
    return { pages, ids: pages.flatMap((p) => p.changes.map((c) => c.id)) }
  }

  it('S13: pages follow the server order, exactly once each, and the last page says hasMore false', async () => {
    const { world } = await setup()
    const device = new Device()
    const ops = [1, 2, 3, 4].flatMap((n) => caseOps(device, world.pia.personId, `K-${n}`).ops)
    await push(world.pia, device, ops)
    const { pages, ids } = await pullAll(world.pia, 5)
    expect(ids).toHaveLength(12)
    expect(new Set(ids).size).toBe(12)
    expect(pages.map((p) => p.changes.length)).toEqual([5, 5, 2])
    const seqs = pages.flatMap((p) => p.changes.map((c) => c.serverSeq))
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    // A page boundary exactly at the end: limit 4 over 12 gives three full pages and no empty fourth.
    const exact = await pullAll(world.pia, 4)
    expect(exact.pages.map((p) => p.changes.length)).toEqual([4, 4, 4])
    // Nothing new: the last cursor answers an empty page.
    const last = pages[pages.length - 1]?.cursor ?? ''
    const empty = (await pull(world.pia, `?cursor=${last}`))?.json<Page>()
    expect(empty?.changes).toEqual([])
    expect(empty?.hasMore).toBe(false)
  })

  it('S13: a record changed after it was pulled comes again, in its new place', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops, ors } = caseOps(device, world.pia.personId)
    await push(world.pia, device, ops)
    const first = (await pull(world.pia))?.json<Page>() as Page
    const voided = { ...ors, voided: { reason: 'duplicate form', at: '2026-11-21T09:00:00.000Z' } }
    await push(world.pia, device, [device.op('administration', 'void', voided)])
    const next = (await pull(world.pia, `?cursor=${first.cursor}`))?.json<Page>()
    expect(next?.changes.map((c) => [c.id, c.voided])).toEqual([[ors.id, true]])
  })

  it('S14: a cursor from another epoch gets 409 epoch_changed', async () => {
    const { world } = await setup()
    const res = await pull(world.pia, `?cursor=${encodeCursor('another-epoch', 3)}`)
    expect(res?.statusCode).toBe(409)
    expect(res?.json()).toMatchObject({ error: 'epoch_changed' })
  })

  it('S14: a stale cursor ahead of the server (restored backup) gets 409 cursor_ahead; garbage gets 400', async () => {
    const { world } = await setup()
    const page = (await pull(world.pia))?.json<Page>() as Page
    const res = await pull(world.pia, `?cursor=${encodeCursor(page.serverEpoch, 999)}`)
    expect(res?.statusCode).toBe(409)
    expect(res?.json()).toMatchObject({ error: 'cursor_ahead' })
    const garbage = await pull(world.pia, '?cursor=not-a-cursor')
    expect(garbage?.statusCode).toBe(400)
    expect(garbage?.json()).toMatchObject({ error: 'invalid_cursor' })
  })

  it('S15: practitioners see their own and shared clients; supervisors read supervisees’; others nothing', async () => {
    const { world } = await setup()
    const piaTablet = new Device()
    const piaCase = caseOps(piaTablet, world.pia.personId, 'P-1')
    await push(world.pia, piaTablet, piaCase.ops)
    const olaTablet = new Device()
    const olaCase = caseOps(olaTablet, world.ola.personId, 'O-1')
    const shared = caseOps(olaTablet, world.ola.personId, 'S-1')
    shared.client.practitionerIds = [world.ola.personId, world.pia.personId]
    await push(world.ola, olaTablet, [...olaCase.ops, ...shared.ops])

    const pia = (await pull(world.pia))?.json<Page>() as Page
    const piaClients = pia.changes.filter((c) => c.entity === 'client').map((c) => c.id)
    expect(piaClients.sort()).toEqual([piaCase.client.id, shared.client.id].sort())
    expect(pia.changes.every((c) => c.access === 'write')).toBe(true)

    const vera = (await pull(world.vera))?.json<Page>() as Page
    const veraClients = vera.changes.filter((c) => c.entity === 'client').map((c) => c.id)
    // vera supervises pia: pia's clients, including the one ola shared with her, read-only.
    expect(veraClients.sort()).toEqual([piaCase.client.id, shared.client.id].sort())
    expect(vera.changes.every((c) => c.access === 'read')).toBe(true)
    expect(vera.changes.map((c) => c.clientId)).not.toContain(olaCase.client.id)

    for (const who of [world.lars, world.admin]) {
      const res = await pull(who)
      expect(res?.statusCode).toBe(403)
    }
  })

  it('S15: a client shared later reaches the new practitioner with its earlier episodes and forms', async () => {
    const { world } = await setup()
    const olaBefore = (await pull(world.ola))?.json<Page>() as Page
    expect(olaBefore.changes).toEqual([])
    const device = new Device()
    const { ops, client, episode, ors } = caseOps(device, world.pia.personId)
    await push(world.pia, device, ops)
    // ola's device syncs in between: her cursor passes the records she may not see yet.
    const olaMiddle = (await pull(world.ola, `?cursor=${olaBefore.cursor}`))?.json<Page>() as Page
    expect(olaMiddle.changes).toEqual([])
    const shared = { ...client, practitionerIds: [world.pia.personId, world.ola.personId] }
    await push(world.pia, device, [device.op('client', 'update', shared)])
    const olaAfter = (await pull(world.ola, `?cursor=${olaMiddle.cursor}`))?.json<Page>() as Page
    expect(olaAfter.changes.map((c) => c.id)).toEqual([client.id, episode.id, ors.id])
    expect(olaAfter.changes.every((c) => c.access === 'write')).toBe(true)
  })

  it('S15: a new supervision link brings the supervisee’s existing clients to the supervisor', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops, client } = caseOps(device, world.ola.personId)
    await push(world.ola, device, ops)
    const veraBefore = (await pull(world.vera))?.json<Page>() as Page
    expect(veraBefore.changes.map((c) => c.clientId)).not.toContain(client.id)
    const link = await server?.app.inject({
      method: 'POST',
      url: '/api/admin/supervision',
      headers: world.admin.headers,
      payload: { supervisorId: world.vera.personId, practitionerId: world.ola.personId },
    })
    expect(link?.statusCode).toBe(200)
    const veraAfter = (await pull(world.vera, `?cursor=${veraBefore.cursor}`))?.json<Page>() as Page
    expect(veraAfter.changes).toHaveLength(3)
    expect(veraAfter.changes[0]).toMatchObject({ id: client.id, access: 'read' })
  })
})
