import { afterEach, describe, expect, it } from 'vitest'
import { addPerson } from '../server/support/world.ts'
import { addDevice, type SyncWorld, syncWorld } from './support/world.ts'

describe('who syncs records', () => {
  let world: SyncWorld | undefined
  afterEach(async () => {
    await world?.close()
    world = undefined
  })

  it('S15: a leader-only tablet has nothing to push or pull, and shows no error for it', async () => {
    world = await syncWorld()
    await addPerson(world.server.app, world.admin, 'lene', ['leader'])
    const device = await addDevice(world, 'lene')
    const before = device.transport.log.length
    const status = await device.engine.syncNow('manual')
    expect(status.state).toBe('idle')
    expect(status.lastError).toBeNull()
    const pulls = device.transport.log.slice(before).filter((e) => e.route === 'pull')
    expect(pulls).toHaveLength(0)
  })
})
