import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createClient,
  listAllAdministrations,
  listClients,
  recordTyped,
} from '../../src/storage/index.ts'
import { loadSession, type SyncStatus } from '../../src/sync/index.ts'
import { PASSWORD } from '../server/support/world.ts'
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

describe('sync engine', () => {
  it('login: `accepted` runs after the server accepts the password and before the session is stored; a refused password runs nothing and stores nothing', async () => {
    const a = await addDevice(world, pia)
    await a.engine.logout({ force: true })
    const seen: (string | null)[] = []
    const accepted = async () => {
      seen.push((await loadSession(a.db))?.person.username ?? null)
    }
    await expect(a.engine.login(pia, 'wrong-password-1', a.name, accepted)).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
    expect(seen).toEqual([])
    expect(await loadSession(a.db)).toBeUndefined()
    const person = await a.engine.login(pia, PASSWORD, a.name, accepted)
    // Called once, while no session was stored yet; the session is stored after it.
    expect(seen).toEqual([null])
    expect((await loadSession(a.db))?.person.id).toBe(person.id)
  })

  it('one sync at a time: a call during a sync joins it and one more round sends what was added', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'Q1', ageGroup: 'adult' })
    const push = a.transport.push
    let joined: Promise<SyncStatus> | undefined
    a.transport.push = async (token, request) => {
      if (!joined) {
        // A form is completed while the first push is on its way.
        await createClient(a.db, { code: 'Q2', ageGroup: 'adult' })
        joined = a.engine.syncNow('form')
      }
      return push(token, request)
    }
    const first = a.engine.syncNow()
    expect(await first).toMatchObject({ state: 'idle', pending: 0 })
    expect(joined).toBe(first)
    expect(a.transport.log.filter((x) => x.route === 'push').map((x) => x.operations)).toEqual([
      1, 1,
    ])
  })

  it('another tab holding the lock: this one makes no request', async () => {
    const names: string[] = []
    const a = await addDevice(world, pia, {
      lock: async (name) => {
        names.push(name)
        return undefined
      },
    })
    await createClient(a.db, { code: 'Q3', ageGroup: 'adult' })
    await a.engine.syncNow()
    expect(names).toEqual(['linja-sync'])
    expect(a.transport.log.filter((x) => x.route !== 'login')).toEqual([])
  })

  it('never rejects: a failure outside the protocol shows as an error in the status', async () => {
    const a = await addDevice(world, pia, {
      lock: async () => {
        throw new Error('lock manager gone')
      },
    })
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'error', lastError: { code: 'internal' } })
  })

  it('S17: a device clock 10 minutes fast is kept as clock skew in the status', async () => {
    const fast = () => new Date(Date.now() + 10 * 60_000)
    const a = await addDevice(world, pia, { now: fast })
    await createClient(a.db, { code: 'Q4', ageGroup: 'adult' })
    const status = await a.engine.syncNow()
    expect(status.state).toBe('idle')
    expect(status.clockSkewMs).toBeGreaterThan(9 * 60_000)
    expect(status.clockSkewMs).toBeLessThan(11 * 60_000)
  })

  it.each([
    ['three days ahead', 3 * 86_400_000],
    ['three days behind', -3 * 86_400_000],
  ])(
    'S17: a device clock %s: records sync both ways, the skew is in the status, a tablet with the right clock gets no warning',
    async (_name, offset) => {
      const off = await addDevice(world, pia, { now: () => new Date(Date.now() + offset) })
      const right = await addDevice(world, pia)
      const client = await createClient(off.db, { code: 'SKEW', ageGroup: 'adult' })
      await recordTyped(off.db, {
        clientId: client.id,
        instrumentId: 'ORS',
        items: itemsOf('ORS', [4, 5, 6, 7]),
        rater: 'client',
        collectedBy: 'paper',
        markedAt: new Date(Date.now() + offset).toISOString(),
        locale: 'nb',
      })
      const first = await off.engine.syncNow()
      expect(first).toMatchObject({ state: 'idle', pending: 0 })
      expect(Math.abs((first.clockSkewMs ?? 0) - offset)).toBeLessThan(60_000)

      // The other tablet, with a right clock, gets the records and no warning; its own form goes back.
      expect(await right.engine.syncNow()).toMatchObject({ state: 'idle', clockSkewMs: null })
      // Read through the repository: the rows themselves are sealed.
      expect((await listAllAdministrations(right.db)).map((a) => a.total)).toEqual([22])
      await recordTyped(right.db, {
        clientId: client.id,
        instrumentId: 'SRS',
        items: itemsOf('SRS', [9, 9, 9, 9]),
        rater: 'client',
        collectedBy: 'paper',
        markedAt: new Date().toISOString(),
        locale: 'nb',
      })
      await right.engine.syncNow()
      // Nothing to push: the pull alone measures the clock.
      const refreshesBefore = off.transport.log.filter((x) => x.route === 'refresh').length
      const second = await off.engine.syncNow()
      expect(off.transport.log.at(-1)?.route).toBe('pull')
      expect(Math.abs((second.clockSkewMs ?? 0) - offset)).toBeLessThan(60_000)
      // Its access token is judged on the server's clock: a fast tablet does not refresh every call.
      expect(off.transport.log.filter((x) => x.route === 'refresh').length).toBe(refreshesBefore)
      const server = await serverSnapshot(world.server.app, pia)
      expect(server.ids).toHaveLength(4)
      expect(await deviceSnapshot(off.db)).toEqual(server.snapshot)
      expect(await deviceSnapshot(right.db)).toEqual(server.snapshot)
    },
  )

  it('the status moves idle -> syncing -> idle and listeners hear it', async () => {
    const a = await addDevice(world, pia)
    const seen: SyncStatus['state'][] = []
    const stop = a.engine.subscribe((s) => seen.push(s.state))
    await createClient(a.db, { code: 'Q5', ageGroup: 'adult' })
    await a.engine.refreshPending()
    expect(a.engine.getStatus().pending).toBe(1)
    await a.engine.syncNow()
    stop()
    expect(seen).toContain('syncing')
    expect(seen.at(-1)).toBe('idle')
  })
})

describe('pulled records are checked against the record schemas', () => {
  it('a pulled record in a shape the app does not know is not stored, the others are, and the status says so', async () => {
    const a = await addDevice(world, pia)
    const good = await createClient(a.db, { code: 'S1', ageGroup: 'adult' })
    const bad = await createClient(a.db, { code: 'S2', ageGroup: 'adult' })
    expect(await a.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })

    const b = await addDevice(world, pia)
    const pull = b.transport.pull
    // The server (or something between) sends one client with a birth year that is not a number.
    b.transport.pull = async (token, cursor, limit) => {
      const page = await pull(token, cursor, limit)
      const changes = page.changes.map((c) =>
        c.id === bad.id && c.entity === 'client'
          ? { ...c, payload: { ...c.payload, birthYear: 'nineteen-eighty' as unknown as number } }
          : c,
      )
      return { ...page, changes }
    }
    const status = await b.engine.syncNow()
    expect(status.state).toBe('error')
    expect(status.lastError?.code).toBe('invalid_record')
    expect(status.lastError?.message).toContain('/birthYear')
    expect(status.lastError?.message).not.toContain('nineteen')
    expect((await listClients(b.db)).map((c) => c.code)).toEqual([good.code])
  })
})
