import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  MIN_PROTOCOL_VERSION,
  type PulledChange,
  type PushRequest,
  type PushResponse,
} from '../../src/core/sync-protocol.ts'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { makeWorld } from './support/world.ts'

/** Outboxes written by released apps (tests/server/fixtures/make-outbox.ts), oldest first. */
const FIXTURES = ['outbox-v1.json', 'outbox-v2.json'].map(
  (name) =>
    [
      name,
      JSON.parse(
        readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'),
      ) as PushRequest,
    ] as const,
)

describe.each(backends())('an old app version against this server (%s)', (backend) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it.each(FIXTURES)(
    'S2: the outbox in %s is applied whole, and its retry is acknowledged as duplicates',
    async (_name, outbox) => {
      // Dropping a version is a decision (S2: one release and 90 days): remove its fixture with it.
      expect(outbox.protocolVersion).toBeGreaterThanOrEqual(MIN_PROTOCOL_VERSION)
      server = await serverFor(backend)
      const { pia } = await makeWorld(server.app)
      const headers = { ...pia.headers, 'x-linja-protocol': String(outbox.protocolVersion) }
      const send = () =>
        server?.app.inject({
          method: 'POST',
          url: '/api/sync/push',
          headers,
          payload: { ...outbox },
        })

      const first = await send()
      expect(first?.statusCode, first?.body).toBe(200)
      const answer = first?.json<PushResponse>()
      expect(answer?.results.map((r) => [r.seq, r.status, r.duplicate])).toEqual(
        outbox.operations.map((op) => [op.seq, 'applied', false]),
      )
      expect(answer?.ackedThrough).toBe(outbox.operations.at(-1)?.seq)

      const pulled = await server.app.inject({
        method: 'GET',
        url: '/api/sync/pull',
        headers: pia.headers,
      })
      const changes = pulled.json<{ changes: PulledChange[] }>().changes
      const latest = new Map<string, Record<string, unknown>>()
      for (const op of outbox.operations) latest.set(op.entityId, { ...op.payload })
      // Every record the old app made is there once, in its last state, scores as they were sent.
      expect(changes.map((c) => c.id).sort()).toEqual([...latest.keys()].sort())
      for (const c of changes) {
        const sent = latest.get(c.id) ?? {}
        if (c.entity === 'administration') {
          expect(c.payload.items, c.id).toEqual(sent.items)
          expect(c.payload.total, c.id).toBe(sent.total)
        }
        expect(c.voided, c.id).toBe(sent.voided !== null && sent.voided !== undefined)
      }
      const corrections = outbox.operations.filter((op) => op.op === 'correct')
      expect(corrections.length).toBeGreaterThan(0)
      for (const op of corrections) {
        const base = changes.find((c) => c.id === op.baseVersion)
        expect(base?.supersededBy).toBe(op.entityId)
      }

      const retry = await send()
      expect(retry?.statusCode).toBe(200)
      expect(retry?.json<PushResponse>().results.every((r) => r.duplicate)).toBe(true)
    },
  )
})
