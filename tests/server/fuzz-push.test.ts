import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushOperation } from '../../src/core/sync-protocol.ts'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import type { TestOperation } from './support/ops.ts'
import { clientPayload, Device, episodePayload, orsPayload } from './support/ops.ts'
import { makeWorld, type World } from './support/world.ts'

const KINDS = [
  'client',
  'client-update',
  'episode',
  'episode-end',
  'form',
  'correct',
  'void',
] as const
const ITEM_IDS = [
  'ors.individually',
  'ors.interpersonally',
  'ors.socially',
  'ors.overall',
  'srs.goals',
]

const step = fc.record({
  kind: fc.constantFrom(...KINDS),
  pick: fc.nat(),
  fresh: fc.boolean(),
  items: fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 10 }),
      fc.double({ min: -1, max: 11, noNaN: true }),
      fc.constant(null),
    ),
    { minLength: 3, maxLength: 5 },
  ),
  totalDelta: fc.constantFrom(0, 0, 0, 0.1, -5),
  seqDelta: fc.constantFrom(0, 0, 0, 0, 1, -1, 2),
})

// Pushes that pass the schema but mix valid and invalid references, scores, sequences and
// versions, so the apply path (corrections, voids, access, score checks) is what gets shaken.
describe.each(backends())('fuzz: plausible pushes never cause a 5xx (%s)', (backend) => {
  let server: TestServer
  let world: World
  beforeAll(async () => {
    server = await serverFor(backend)
    world = await makeWorld(server.app)
  }, 60_000)
  afterAll(async () => {
    await server.close()
  })

  it('S4-S11: random operation batches against a growing set of records', async () => {
    const device = new Device()
    const pool: Record<'client' | 'episode' | 'form', string[]> = {
      client: [randomUUID()],
      episode: [randomUUID()],
      form: [randomUUID()],
    }
    const any = (list: string[], n: number) => list[n % list.length] ?? randomUUID()
    let statuses = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        let seq = device.seq
        const ops: TestOperation[] = steps.map((s) => {
          seq += 1
          const entry = (
            entity: PushOperation['entity'],
            op: PushOperation['op'],
            payload: Record<string, unknown>,
            baseVersion?: string,
          ): TestOperation => ({
            seq: Math.max(1, seq + s.seqDelta),
            opId: randomUUID(),
            deviceId: device.deviceId,
            entity,
            entityId: String(payload.id),
            op,
            payload,
            createdAt: new Date().toISOString(),
            ...(baseVersion ? { baseVersion } : {}),
          })
          const clientId = any(pool.client, s.pick)
          const items = Object.fromEntries(s.items.map((v, i) => [ITEM_IDS[i] ?? `x${i}`, v]))
          const form = () => {
            const p = orsPayload(clientId, any(pool.episode, s.pick), items)
            return { ...p, total: Math.round(((p.total ?? 0) + s.totalDelta) * 10) / 10 }
          }
          switch (s.kind) {
            case 'client':
              return entry(
                'client',
                'create',
                clientPayload([world.pia.personId], `Z-${s.pick % 100}`),
              )
            case 'client-update':
              return entry('client', 'update', {
                ...clientPayload([world.pia.personId]),
                id: clientId,
              })
            case 'episode':
              return entry('episode', 'create', episodePayload(clientId))
            case 'episode-end':
              return entry('episode', 'end', {
                ...episodePayload(clientId),
                id: any(pool.episode, s.pick),
                endedAt: new Date().toISOString(),
                ending: 'planned',
              })
            case 'form':
              return entry('administration', 'create', form())
            case 'correct': {
              const base = any(pool.form, s.pick)
              return entry(
                'administration',
                'correct',
                { ...form(), versionOf: s.fresh ? null : base, supersedes: base },
                s.fresh ? randomUUID() : base,
              )
            }
            case 'void':
              return entry('administration', 'void', {
                ...form(),
                id: any(pool.form, s.pick),
                voided: { reason: 'fuzz', at: new Date().toISOString() },
              })
            default:
              throw new Error(`unknown kind ${String(s.kind)}`)
          }
        })
        const res = await server.app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers: world.pia.headers,
          payload: device.body(ops),
        })
        expect(res.statusCode, res.body).toBeLessThan(500)
        if (res.statusCode === 200) {
          const body = res.json<{ ackedThrough: number; results: { status: string }[] }>()
          device.seq = body.ackedThrough
          statuses += body.results.length
          for (const op of ops) {
            const list = op.entity === 'administration' ? pool.form : pool[op.entity]
            if (!list.includes(op.entityId)) list.push(op.entityId)
          }
        }
      }),
      { numRuns: backend === 'postgres' ? 150 : 300 },
    )
    expect(statuses).toBeGreaterThan(50)
    // Whatever happened, a full pull still answers and every record comes exactly once.
    const pulled = await server.app.inject({
      method: 'GET',
      url: '/api/sync/pull?limit=1000',
      headers: world.pia.headers,
    })
    expect(pulled.statusCode).toBe(200)
    const ids = pulled.json<{ changes: { id: string }[] }>().changes.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
  }, 240_000)
})
