import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createClient,
  recordTyped,
  type StoredClient,
  type TypedForm,
} from '../../src/storage/index.ts'
import { createSyncEngine, NO_SYNC_ROLE } from '../../src/sync/index.ts'
import { addPerson } from '../server/support/world.ts'
import { itemsOf } from '../storage/helpers.ts'
import { addDevice, addPractitioner, type SyncWorld, syncWorld } from './support/world.ts'

let world: SyncWorld
beforeEach(async () => {
  world = await syncWorld()
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

describe('what waits, and why it is not sent (issue 13.4)', { timeout: 30_000 }, () => {
  it('counts what a person made: a new client (with its episode) is one, each form one', async () => {
    const a = await addDevice(world, await addPractitioner(world))
    const client = await createClient(a.db, { code: 'W1', ageGroup: 'adult' })
    await a.engine.refreshPending()
    expect(a.engine.getStatus().pending).toBe(1)
    await recordTyped(a.db, paper(client))
    await a.engine.refreshPending()
    expect(a.engine.getStatus().pending).toBe(2)
  })

  it('the last successful sync is kept per practitioner across a restart', async () => {
    const pia = await addPractitioner(world)
    const a = await addDevice(world, pia)
    const synced = await a.engine.syncNow()
    expect(synced.lastSuccessAt).not.toBeNull()
    // The app starts again (offline or not): the header still knows when it last synced.
    const restarted = createSyncEngine({ db: a.db, transport: a.transport })
    expect((await restarted.load()).lastSuccessAt).toBe(synced.lastSuccessAt)
    // Another practitioner on the tablet has their own (none yet).
    const ola = await addPractitioner(world, 'ola')
    await a.engine.logout({ force: true })
    await a.engine.login(ola, 'a-long-password-1', a.name)
    expect(a.engine.getStatus().lastSuccessAt).toBeNull()
  })

  it('a leader’s sign-in with a waiting client says why nothing is sent, and sends nothing', async () => {
    await addPerson(world.server.app, world.admin, 'lena', ['leader'])
    const a = await addDevice(world, 'lena')
    await createClient(a.db, { code: 'L1', ageGroup: 'adult' })
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'error', pending: 1 })
    expect(status.lastError?.code).toBe(NO_SYNC_ROLE)
    expect(a.transport.log.filter((x) => x.route === 'push')).toEqual([])
  })
})
