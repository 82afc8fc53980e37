import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { PushResponse } from '../../src/core/sync-protocol.ts'
import {
  countPending,
  createClient,
  recordTyped,
  type StoredClient,
  type TypedForm,
} from '../../src/storage/index.ts'
import { itemsOf } from '../storage/helpers.ts'
import { deviceSnapshot, serverSnapshot } from './support/snapshot.ts'
import { addDevice, addPractitioner, type SyncWorld, syncWorld } from './support/world.ts'

let world: SyncWorld
let pia: string
beforeEach(async () => {
  world = await syncWorld()
  pia = await addPractitioner(world)
})
afterEach(async () => {
  await world.close()
})

function paper(client: StoredClient): TypedForm {
  return {
    clientId: client.id,
    instrumentId: 'SRS',
    items: itemsOf('SRS', [8, 8, 8, 8]),
    rater: 'client',
    collectedBy: 'phone',
    markedAt: '2026-11-01T10:00:00Z',
    locale: 'nb',
  }
}

describe('faults on the way', () => {
  it('S4: the answer is lost after the server committed; the retry makes no duplicate and empties the outbox', async () => {
    const a = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'L1', ageGroup: 'adult' })
    await recordTyped(a.db, paper(client))
    a.transport.arm('push', 'drop-response')
    const first = await a.engine.syncNow()
    expect(first.state).toBe('offline')
    expect(first.lastError?.code).toBe('network')
    // What the person made waits: the client (its episode with it) and the form.
    expect(first.pending).toBe(2)
    // Backoff: base 2 s, jitter fixed at 0.5 in the test.
    expect(a.retries).toEqual([1500])

    const pushes: PushResponse[] = []
    const push = a.transport.push
    a.transport.push = async (token, request) => {
      const answer = await push(token, request)
      pushes.push(answer)
      return answer
    }
    const second = await a.engine.syncNow()
    expect(second).toMatchObject({ state: 'idle', pending: 0, nextRetryAt: null })
    expect(pushes[0]?.results.map((r) => r.duplicate)).toEqual([true, true, true])
    const server = await serverSnapshot(world.server.app, pia)
    expect(server.ids).toHaveLength(3)
    expect(await deviceSnapshot(a.db)).toEqual(server.snapshot)
  })

  it('S4: a push delivered twice is applied once', async () => {
    const a = await addDevice(world, pia)
    await recordTyped(a.db, paper(await createClient(a.db, { code: 'T1', ageGroup: 'adult' })))
    a.transport.arm('push', 'deliver-twice')
    expect((await a.engine.syncNow()).state).toBe('idle')
    expect(await countPending(a.db)).toBe(0)
    const server = await serverSnapshot(world.server.app, pia)
    expect(server.ids).toHaveLength(3)
    expect(new Set(server.ids).size).toBe(3)
  })

  it('S6: a slow push overtaken by its retry and by a newer push changes nothing when it arrives', async () => {
    const a = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'R1', ageGroup: 'adult' })
    a.transport.arm('push', 'delay')
    await a.engine.syncNow()
    await recordTyped(a.db, paper(client))
    await recordTyped(a.db, paper(client))
    // The retry carries all waiting entries; the old request reaches the server after it.
    expect((await a.engine.syncNow()).state).toBe('idle')
    await a.transport.flushDelayed()
    await a.engine.syncNow()
    const server = await serverSnapshot(world.server.app, pia)
    expect(server.ids).toHaveLength(4)
    expect(await deviceSnapshot(a.db)).toEqual(server.snapshot)
    expect(a.transport.log.filter((x) => x.route === 'push').map((x) => x.status)).toEqual([0, 200])
  })

  it('S7: more than 500 waiting operations go out in several pushes, in device order', async () => {
    const a = await addDevice(world, pia, { batchSize: 4 })
    const client = await createClient(a.db, { code: 'B1', ageGroup: 'adult' })
    for (let i = 0; i < 5; i += 1) await recordTyped(a.db, paper(client))
    expect((await a.engine.syncNow()).state).toBe('idle')
    const pushes = a.transport.log.filter((x) => x.route === 'push')
    expect(pushes.map((x) => x.operations)).toEqual([4, 3])
    expect((await serverSnapshot(world.server.app, pia)).ids).toHaveLength(7)
  })

  it('retries back off exponentially with jitter, capped at 5 minutes', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'N1', ageGroup: 'adult' })
    for (let i = 0; i < 10; i += 1) {
      a.transport.arm('push', 'drop-request')
      await a.engine.syncNow()
    }
    expect(a.retries).toEqual([
      1500, 3000, 6000, 12000, 24000, 48000, 96000, 192000, 225000, 225000,
    ])
    expect(a.engine.getStatus().nextRetryAt).not.toBeNull()
    await a.engine.syncNow()
    expect(a.engine.getStatus()).toMatchObject({ state: 'idle', pending: 0, nextRetryAt: null })
  })
})
