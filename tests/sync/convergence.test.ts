import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  correct,
  countPending,
  createClient,
  getAdministration,
  getClient,
  recordTyped,
  type StoredClient,
  type TypedForm,
  voidAdministration,
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

function paper(client: StoredClient, values: number[] = [5, 6, 7, 8]): TypedForm {
  return {
    clientId: client.id,
    instrumentId: 'ORS',
    items: itemsOf('ORS', values),
    rater: 'client',
    collectedBy: 'paper',
    markedAt: '2026-11-01T10:00:00Z',
    locale: 'nb',
  }
}

describe('two devices of one practitioner', () => {
  it('S13: a client and form made offline on device A appear on device B; both equal the server, no duplicates', async () => {
    const a = await addDevice(world, pia)
    const b = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'A1', ageGroup: 'adult' })
    const form = await recordTyped(a.db, paper(client))
    await recordTyped(b.db, paper(await createClient(b.db, { code: 'B1', ageGroup: 'adult' })))

    expect((await a.engine.syncNow()).state).toBe('idle')
    expect((await b.engine.syncNow()).state).toBe('idle')
    await a.engine.syncNow()

    expect(await getClient(b.db, client.id)).toMatchObject({ code: 'A1' })
    expect(await getAdministration(b.db, form.id)).toMatchObject({ total: 26 })
    const server = await serverSnapshot(world.server.app, pia)
    expect(new Set(server.ids).size).toBe(server.ids.length)
    expect(server.snapshot.size).toBe(6)
    expect(await deviceSnapshot(a.db)).toEqual(server.snapshot)
    expect(await deviceSnapshot(b.db)).toEqual(server.snapshot)
    expect(await countPending(a.db)).toBe(0)
    expect(a.engine.getStatus()).toMatchObject({ pending: 0, lastError: null })
    expect(a.engine.getStatus().lastSuccessAt).not.toBeNull()
  })

  it('S10: both correct the same form offline; the server version wins on both and the loser is listed', async () => {
    const a = await addDevice(world, pia)
    const b = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'C1', ageGroup: 'adult' })
    const form = await recordTyped(a.db, paper(client))
    await a.engine.syncNow()
    await b.engine.syncNow()

    const fromA = await correct(a.db, form.id, {
      items: itemsOf('ORS', [1, 1, 1, 1]),
      reason: 'typo A',
    })
    const fromB = await correct(b.db, form.id, {
      items: itemsOf('ORS', [2, 2, 2, 2]),
      reason: 'typo B',
    })
    await b.engine.syncNow()
    const status = await a.engine.syncNow()
    await b.engine.syncNow()

    expect(status.conflicts).toHaveLength(1)
    expect(status.conflicts[0]).toMatchObject({
      status: 'conflict',
      entityId: fromA.id,
      serverVersion: fromB.id,
      reason: 'server_version_wins',
      payload: { total: 4, correctionReason: 'typo A' },
    })
    expect(await getAdministration(a.db, fromA.id)).toBeUndefined()
    expect(await getAdministration(a.db, form.id)).toMatchObject({ supersededBy: fromB.id })
    expect(await getAdministration(a.db, fromB.id)).toMatchObject({ total: 8 })
    const server = await serverSnapshot(world.server.app, pia)
    expect(await deviceSnapshot(a.db)).toEqual(server.snapshot)
    expect(await deviceSnapshot(b.db)).toEqual(server.snapshot)
    expect(b.engine.getStatus().conflicts).toEqual([])
    // The list survives a restart of the app.
    const again = await a.engine.load()
    expect(again.conflicts).toHaveLength(1)
    await a.engine.dismissConflict(again.conflicts[0]?.opId ?? '')
    expect(a.engine.getStatus().conflicts).toEqual([])
  })

  it('S10: a correction whose push was lost stays local until the retry, then loses to the server version', async () => {
    const a = await addDevice(world, pia)
    const b = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'D1', ageGroup: 'adult' })
    const form = await recordTyped(a.db, paper(client))
    await a.engine.syncNow()
    await b.engine.syncNow()
    const fromB = await correct(b.db, form.id, {
      items: itemsOf('ORS', [3, 3, 3, 3]),
      reason: 'typo',
    })
    await b.engine.syncNow()
    // A corrects offline too; its first push never arrives.
    const fromA = await correct(a.db, form.id, {
      items: itemsOf('ORS', [9, 9, 9, 9]),
      reason: 'mine',
    })
    a.transport.arm('push', 'drop-request')
    await a.engine.syncNow()
    expect(a.engine.getStatus().state).toBe('offline')
    expect(await getAdministration(a.db, form.id)).toMatchObject({ supersededBy: fromA.id })
    await a.engine.syncNow()
    expect(await getAdministration(a.db, form.id)).toMatchObject({ supersededBy: fromB.id })
    expect(await deviceSnapshot(a.db)).toEqual(
      (await serverSnapshot(world.server.app, pia)).snapshot,
    )
  })
})

describe('refused versions', () => {
  it('S10/S11: a void of a losing correction, queued while its push was on the way, is refused and both leave the device', async () => {
    const a = await addDevice(world, pia)
    const b = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'V1', ageGroup: 'adult' })
    const form = await recordTyped(a.db, paper(client))
    await a.engine.syncNow()
    await b.engine.syncNow()
    await correct(b.db, form.id, { items: itemsOf('ORS', [2, 2, 2, 2]), reason: 'b' })
    await b.engine.syncNow()
    const loser = await correct(a.db, form.id, { items: itemsOf('ORS', [1, 1, 1, 1]), reason: 'a' })
    const push = a.transport.push
    let voided = false
    a.transport.push = async (token, request) => {
      if (!voided) {
        voided = true
        await voidAdministration(a.db, loser.id, 'wrong client')
      }
      return push(token, request)
    }
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'idle', pending: 0 })
    expect(status.conflicts.map((c) => `${c.op}:${c.status}:${c.reason}`)).toEqual([
      'correct:conflict:server_version_wins',
      'void:rejected:unknown_record',
    ])
    expect(await getAdministration(a.db, loser.id)).toBeUndefined()
    expect(await deviceSnapshot(a.db)).toEqual(
      (await serverSnapshot(world.server.app, pia)).snapshot,
    )
  })
})
