import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PulledChange } from '../../src/core/sync-protocol.ts'
import {
  appOn,
  createTestDatabase,
  pgAvailable,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { caseOps, Device } from './support/ops.ts'
import { addPerson, login, PASSWORD, type Session } from './support/world.ts'

const PRACTITIONERS = 4
const DEVICES_PER_PRACTITIONER = 4
const BATCHES = 6

// S12 on PostgreSQL: pushes commit out of order unless the counter row serialises them.
describe.skipIf(!pgAvailable())('S12: two instances on one PostgreSQL, concurrent pushes', () => {
  let database: TestDatabase
  let a: TestServer
  let b: TestServer
  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    // Both instances start at once on the empty database: migrations and the admin must not clash.
    ;[a, b] = await Promise.all([appOn(database), appOn(database)])
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await database?.drop()
  })

  it('S12: every device’s incremental pull sees every record exactly once', async () => {
    const admin = await login(a.app, 'admin', 'admin-password-1')
    const devices: { session: Session; device: Device; server: TestServer }[] = []
    const owners: string[] = []
    for (let p = 0; p < PRACTITIONERS; p++) {
      owners.push(await addPerson(a.app, admin, `prac${p}`, ['practitioner']))
      for (let d = 0; d < DEVICES_PER_PRACTITIONER; d++) {
        const server = d % 2 === 0 ? a : b
        devices.push({
          session: await login(server.app, `prac${p}`, PASSWORD, `t${d}`),
          device: new Device(),
          server,
        })
      }
    }
    const expected = new Map<string, Set<string>>(owners.map((o) => [o, new Set<string>()]))
    let pushing = true

    async function pushAll(entry: (typeof devices)[number]) {
      for (let i = 0; i < BATCHES; i++) {
        const batch = caseOps(entry.device, entry.session.personId, `C-${i}`)
        const res = await entry.server.app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers: entry.session.headers,
          payload: entry.device.body(batch.ops),
        })
        expect(res.statusCode).toBe(200)
        for (const id of [batch.client.id, batch.episode.id, batch.ors.id]) {
          expected.get(entry.session.personId)?.add(id)
        }
      }
    }

    async function follow(entry: (typeof devices)[number], other: TestServer): Promise<string[]> {
      const seen: string[] = []
      let cursor = ''
      let rounds = 0
      const pullOnce = async () => {
        const server = rounds++ % 2 === 0 ? entry.server : other
        for (;;) {
          const res = await server.app.inject({
            method: 'GET',
            url: `/api/sync/pull?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
            headers: entry.session.headers,
          })
          expect(res.statusCode).toBe(200)
          const page = res.json<{ changes: PulledChange[]; cursor: string; hasMore: boolean }>()
          seen.push(...page.changes.map((c) => c.id))
          cursor = page.cursor
          if (!page.hasMore) break
        }
      }
      while (pushing) await pullOnce()
      await pullOnce()
      return seen
    }

    const followers = devices.map((entry) => follow(entry, entry.server === a ? b : a))
    await Promise.all(devices.map(pushAll))
    pushing = false
    const seenPerDevice = await Promise.all(followers)

    devices.forEach((entry, i) => {
      const seen = seenPerDevice[i] ?? []
      const want = expected.get(entry.session.personId) ?? new Set()
      expect(want.size).toBe(DEVICES_PER_PRACTITIONER * BATCHES * 3)
      expect(new Set(seen).size).toBe(seen.length)
      expect(new Set(seen)).toEqual(want)
    })
  }, 120_000)
})
