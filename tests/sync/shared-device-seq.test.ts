// S6 on a tablet two practitioners share: wire numbers taken by one's unsent push never hold the other's changes back.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DataKeys } from '../../src/storage/crypto.ts'
import {
  countAllPending,
  createClient,
  type LinjaDb,
  openLinjaDb,
  recordTyped,
} from '../../src/storage/index.ts'
import { createSyncEngine } from '../../src/sync/index.ts'
import { prepareBatch, renumberFrom, WIRE_KEY } from '../../src/sync/outbox-wire.ts'
import { PASSWORD } from '../server/support/world.ts'
import { freshDb, itemsOf } from '../storage/helpers.ts'
import { testKeys } from '../storage/keys.ts'
import { injectTransport } from './support/inject-transport.ts'
import { deviceSnapshot, serverSnapshot } from './support/snapshot.ts'
import { addPractitioner, type SyncWorld, syncWorld, type TestDevice } from './support/world.ts'

/** [outbox seq, wire seq], as kept under WIRE_KEY. */
type Pair = [number, number]
interface Wire {
  deviceId: string
  lastWire: number
  pairs: Pair[]
}

async function readWire(db: LinjaDb): Promise<Wire> {
  return (await db.meta.get(WIRE_KEY))?.value as Wire
}

async function writeWire(db: LinjaDb, deviceId: string, pairs: Pair[]): Promise<void> {
  const lastWire = Math.max(0, ...pairs.map(([, wire]) => wire))
  await db.meta.put({ key: WIRE_KEY, value: { deviceId, lastWire, pairs } })
}

/** Outbox seq → wire seq, so the order pairs are stored in does not matter. */
async function wireOf(db: LinjaDb): Promise<Record<number, number>> {
  return Object.fromEntries((await readWire(db)).pairs)
}

/** A client and a typed SRS: three outbox entries (client, episode, form). */
async function clientWithForm(db: LinjaDb, code: string): Promise<void> {
  const client = await createClient(db, { code, ageGroup: 'adult' })
  await recordTyped(db, {
    clientId: client.id,
    instrumentId: 'SRS',
    items: itemsOf('SRS', [8, 8, 8, 8]),
    rater: 'client',
    collectedBy: 'phone',
    markedAt: '2026-11-01T10:00:00Z',
    locale: 'nb',
  })
}

describe('renumberFrom', () => {
  it('S6: the refused batch is numbered from `expected`, the other practitioner’s waiting entries after it', async () => {
    const { db } = freshDb('renumber-shared')
    const annesKey = await testKeys('anne')
    const bjornsKey = await testKeys('bjorn')
    // Anne records first (outbox 1–3); Bjorn's push is tried first, so his entries take wire 1–3.
    db.unlock(annesKey)
    await clientWithForm(db, 'ANNE-1')
    db.unlock(bjornsKey)
    await clientWithForm(db, 'BJORN-1')
    const tried = await prepareBatch(db, 500)
    expect(tried?.operations.map((o) => o.seq)).toEqual([1, 2, 3])
    db.unlock(annesKey)
    const refused = await prepareBatch(db, 500)
    expect(refused?.operations.map((o) => o.seq)).toEqual([4, 5, 6])
    expect(await wireOf(db)).toEqual({ 4: 1, 5: 2, 6: 3, 1: 4, 2: 5, 3: 6 })
    if (!refused) throw new Error('no batch')

    await renumberFrom(
      db,
      refused.deviceId,
      1,
      refused.entries.map((e) => e.seq),
    )
    expect(await wireOf(db)).toEqual({ 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6 })
    expect((await readWire(db)).lastWire).toBe(6)
    // The retry is the same operations under the numbers the server expects.
    const retry = await prepareBatch(db, 500)
    expect(retry?.operations.map((o) => [o.seq, o.opId])).toEqual(
      refused.operations.map((o, i) => [i + 1, o.opId]),
    )
    db.unlock(bjornsKey)
    const later = await prepareBatch(db, 500)
    expect(later?.operations.map((o) => [o.seq, o.opId])).toEqual(
      tried?.operations.map((o, i) => [i + 4, o.opId]),
    )
  })

  it('S4/S6: numbers below `expected` stay (the server has them), also for entries of the refused batch', async () => {
    const { db } = freshDb('renumber-kept')
    // Anne's 10–11 reached the server as 1–2 (the answer was lost); Bjorn's 20–21 were tried as
    // 3–4 and cut; Anne's 12–13 got 5–6. Her batch 10–13 is refused: expected 3.
    await writeWire(db, 'dev-1', [
      [10, 1],
      [11, 2],
      [20, 3],
      [21, 4],
      [12, 5],
      [13, 6],
    ])
    await renumberFrom(db, 'dev-1', 3, [10, 11, 12, 13])
    expect(await wireOf(db)).toEqual({ 10: 1, 11: 2, 12: 3, 13: 4, 20: 5, 21: 6 })
    expect((await readWire(db)).lastWire).toBe(6)
  })

  it('S6: without `sending` (a server restored from a backup) the waiting entries keep their order', async () => {
    const { db } = freshDb('renumber-restored')
    // Wire 1–3 were acknowledged (their entries removed); the server, restored from a backup, has only 1.
    await writeWire(db, 'dev-1', [
      [7, 4],
      [8, 5],
      [4, 6],
      [9, 7],
    ])
    await renumberFrom(db, 'dev-1', 2)
    expect((await readWire(db)).pairs).toEqual([
      [7, 2],
      [8, 3],
      [4, 4],
      [9, 5],
    ])
    expect((await readWire(db)).lastWire).toBe(5)
  })
})

let world: SyncWorld
let anne: string
let bjorn: string

interface Tablet extends TestDevice {
  /** As the app's lock screen: the data closes, the new person signs in, their key opens. */
  signIn: (username: string) => Promise<void>
}

/** One tablet, one engine, one database; each practitioner has their own key and login. */
async function sharedTablet(): Promise<Tablet> {
  const name = 'shared-tablet'
  const factory = new IDBFactory()
  const db = openLinjaDb(name, { indexedDB: factory, IDBKeyRange, requireKeys: true })
  const keys: Record<string, DataKeys> = {
    [anne]: await testKeys(anne),
    [bjorn]: await testKeys(bjorn),
  }
  const transport = injectTransport(world.server.app)
  const retries: number[] = []
  const engine = createSyncEngine({
    db,
    transport,
    random: () => 0.5,
    lock: (_name, run) => run(),
    schedule: (_run, ms) => {
      retries.push(ms)
      return () => undefined
    },
  })
  const device = { name, db, factory, transport, engine, retries }
  world.devices.push(device)
  return {
    ...device,
    signIn: async (username) => {
      db.lock()
      await engine.login(username, PASSWORD, name)
      const key = keys[username]
      if (!key) throw new Error(`no key for ${username}`)
      db.unlock(key)
    },
  }
}

/** What the server holds for `username` equals what the tablet shows them, each record once. */
async function expectOnServer(tablet: Tablet, username: string, count: number): Promise<void> {
  const server = await serverSnapshot(world.server.app, username)
  expect(server.ids).toHaveLength(count)
  expect(new Set(server.ids).size).toBe(count)
  if (count > 0) expect(await deviceSnapshot(tablet.db)).toEqual(server.snapshot)
}

const pushStatuses = (tablet: Tablet) =>
  tablet.transport.log.filter((x) => x.route === 'push').map((x) => x.status)

describe('two practitioners on one tablet', () => {
  beforeEach(async () => {
    world = await syncWorld()
    anne = await addPractitioner(world, 'anne')
    bjorn = await addPractitioner(world, 'bjorn')
  })
  afterEach(async () => {
    await world.close()
  })

  it('S6: Bjorn’s push is cut before the server; Anne’s changes still go to her account, then his to his, each once', async () => {
    const tablet = await sharedTablet()
    await tablet.signIn(anne)
    await clientWithForm(tablet.db, 'ANNE-1')

    await tablet.signIn(bjorn)
    await clientWithForm(tablet.db, 'BJORN-1')
    tablet.transport.arm('push', 'drop-request')
    expect((await tablet.engine.syncNow()).state).toBe('offline')
    // His tried push took the device's first wire numbers; the server has nothing.
    expect(Object.values(await wireOf(tablet.db))).toEqual([1, 2, 3])
    await expectOnServer(tablet, bjorn, 0)

    await tablet.signIn(anne)
    const annes = await tablet.engine.syncNow()
    // Nothing of hers waits; Bjorn's 3 still do, and are his to count and send.
    expect(annes).toMatchObject({ state: 'idle', lastError: null, pending: 0 })
    expect(await countAllPending(tablet.db)).toBe(3)
    // Her first try (wire 4–6) is refused with seq_gap; the renumbered retry goes through.
    expect(pushStatuses(tablet)).toEqual([0, 409, 200])
    await expectOnServer(tablet, anne, 3)
    await expectOnServer(tablet, bjorn, 0)

    await tablet.signIn(bjorn)
    const bjorns = await tablet.engine.syncNow()
    expect(bjorns).toMatchObject({ state: 'idle', lastError: null, pending: 0 })
    expect(pushStatuses(tablet)).toEqual([0, 409, 200, 200])
    await expectOnServer(tablet, bjorn, 3)

    // One more sync by each sends nothing and brings nothing of the other's.
    expect((await tablet.engine.syncNow()).state).toBe('idle')
    await tablet.signIn(anne)
    expect((await tablet.engine.syncNow()).state).toBe('idle')
    expect(pushStatuses(tablet)).toEqual([0, 409, 200, 200])
    await expectOnServer(tablet, anne, 3)
    await tablet.signIn(bjorn)
    await expectOnServer(tablet, bjorn, 3)
  })

  it('S4/S6: Anne’s answer was lost, Bjorn’s push cut; her resend keeps the numbers the server has and her new change follows them', async () => {
    const tablet = await sharedTablet()
    await tablet.signIn(anne)
    await clientWithForm(tablet.db, 'ANNE-2')
    tablet.transport.arm('push', 'drop-response')
    expect((await tablet.engine.syncNow()).state).toBe('offline')

    await tablet.signIn(bjorn)
    await clientWithForm(tablet.db, 'BJORN-2')
    tablet.transport.arm('push', 'drop-request')
    expect((await tablet.engine.syncNow()).state).toBe('offline')

    await tablet.signIn(anne)
    await createClient(tablet.db, { code: 'ANNE-3', ageGroup: 'adult' })
    // Sent as 1–3 (server has them) and 7: refused with expected 4; resent as 1–4.
    expect(await tablet.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
    expect(await countAllPending(tablet.db)).toBe(3)
    expect(pushStatuses(tablet)).toEqual([200, 0, 409, 200])
    await expectOnServer(tablet, anne, 4)
    await expectOnServer(tablet, bjorn, 0)

    await tablet.signIn(bjorn)
    expect(await tablet.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
    await expectOnServer(tablet, bjorn, 3)
    await tablet.signIn(anne)
    await expectOnServer(tablet, anne, 4)
  })
})
