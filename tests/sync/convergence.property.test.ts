// Property: several devices of one practitioner, random work and random transport faults; after a final fault-free sync all equal the server.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InstrumentId } from '../../src/core/index.ts'
import {
  correct,
  countPending,
  createClient,
  getAdministration,
  isStorageError,
  listAllAdministrations,
  listClients,
  recordTyped,
  voidAdministration,
} from '../../src/storage/index.ts'
import { itemsOf } from '../storage/helpers.ts'
import { FAULTS, type Fault } from './support/inject-transport.ts'
import { deviceSnapshot, serverSnapshot } from './support/snapshot.ts'
import {
  addDevice,
  addPractitioner,
  type SyncWorld,
  syncWorld,
  type TestDevice,
} from './support/world.ts'

type Command =
  | { kind: 'client'; dev: number }
  | { kind: 'form'; dev: number; pick: number; instrument: InstrumentId; values: number[] }
  | { kind: 'correct'; dev: number; pick: number; values: number[] }
  | { kind: 'void'; dev: number; pick: number }
  | { kind: 'sync'; dev: number; fault: Fault | null; during: 'correct' | 'void' | null }
  /** Every device corrects (or voids) the same form offline: concurrent corrections. */
  | { kind: 'race'; pick: number; values: number[]; voidOn: number | null }

const dev = fc.nat({ max: 2 })
const pick = fc.nat({ max: 3 })
const values = fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 4, maxLength: 4 })
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('client' as const), dev }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('form' as const),
      dev,
      pick,
      instrument: fc.constantFrom<InstrumentId>('ORS', 'SRS'),
      values,
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('correct' as const), dev, pick, values }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('void' as const), dev, pick }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('race' as const),
      pick,
      values,
      voidOn: fc.option(fc.nat({ max: 2 }), { nil: null }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      dev,
      fault: fc.option(fc.constantFrom(...FAULTS), { nil: null, freq: 2 }),
      /** A change made on the device while its push is on the way. */
      during: fc.option(fc.constantFrom('correct' as const, 'void' as const), {
        nil: null,
        freq: 3,
      }),
    }),
    weight: 4,
  },
)

interface Model {
  /** Ids each device created (forms and corrections): on the server, or listed as refused. */
  made: Set<string>[]
  /** Ids each device voided: voided on the server, or listed as refused (a void of a version that lost). */
  voided: Set<string>[]
}

let codes = 0
async function heads(d: TestDevice) {
  return (await listAllAdministrations(d.db)).sort((a, b) => (a.id < b.id ? -1 : 1))
}

async function race(devices: TestDevice[], model: Model, cmd: Command & { kind: 'race' }) {
  const first = devices[0]
  if (!first) return
  if ((await heads(first)).length === 0) {
    await run(devices, model, { kind: 'client', dev: 0 })
    await run(devices, model, {
      kind: 'form',
      dev: 0,
      pick: 0,
      instrument: 'SRS',
      values: cmd.values,
    })
  }
  // Share first, then every device changes the same form offline.
  for (const d of devices) await d.engine.syncNow()
  const current = await heads(first)
  const target = current[cmd.pick % Math.max(1, current.length)]
  if (!target) return
  for (const [k, d] of devices.entries()) {
    const mine = await getAdministration(d.db, target.id)
    if (!mine || mine.supersededBy !== null || mine.voided !== null) continue
    if (cmd.voidOn === k) {
      await voidAdministration(d.db, target.id, 'wrong client')
      model.voided[k]?.add(target.id)
      continue
    }
    // Each device types a different value for the first item, so every correction changes a score.
    const values = [(mine.total ?? 0) > 0 ? 0 : 10, ...cmd.values.slice(1)].map((v, j) =>
      j === 0 ? (v + k) % 11 : v,
    )
    const items = itemsOf(mine.instrumentId, values)
    if (Object.entries(items).every(([id, v]) => mine.items[id] === v)) continue
    const next = await correct(d.db, target.id, { items, reason: 'typed wrong' })
    model.made[k]?.add(next.id)
  }
}

async function run(devices: TestDevice[], model: Model, cmd: Command): Promise<void> {
  if (cmd.kind === 'race') return race(devices, model, cmd)
  const i = cmd.dev % devices.length
  const d = devices[i]
  if (!d) return
  if (cmd.kind === 'client') {
    codes += 1
    await createClient(d.db, { code: `P${codes}`, ageGroup: 'adult' })
    return
  }
  if (cmd.kind === 'sync') {
    if (cmd.fault) d.transport.arm('push', cmd.fault)
    const push = d.transport.push
    const during = cmd.during
    if (during) {
      d.transport.push = async (token, request) => {
        d.transport.push = push
        const last = request.operations.at(-1)
        await run(devices, model, { kind: during, dev: i, pick: 0, values: [3, 1, 4, 1] })
        if (last) await run(devices, model, { kind: during, dev: i, pick: 1, values: [2, 7, 1, 8] })
        return push(token, request)
      }
    }
    await d.engine.syncNow()
    d.transport.push = push
    // With an empty outbox there was no push to spoil.
    d.transport.disarm()
    return
  }
  if (cmd.kind === 'form') {
    const clients = await listClients(d.db, { includeArchived: true })
    const client = clients[cmd.pick % Math.max(1, clients.length)]
    if (!client) return
    const form = await recordTyped(d.db, {
      clientId: client.id,
      instrumentId: cmd.instrument,
      items: itemsOf(cmd.instrument, cmd.values),
      rater: 'client',
      collectedBy: 'paper',
      markedAt: '2026-11-01T10:00:00Z',
      locale: 'nb',
    })
    model.made[i]?.add(form.id)
    return
  }
  const current = await heads(d)
  const target = current[cmd.pick % Math.max(1, current.length)]
  if (!target) return
  try {
    if (cmd.kind === 'void') {
      await voidAdministration(d.db, target.id, 'wrong client')
      model.voided[i]?.add(target.id)
    } else {
      const items = itemsOf(target.instrumentId, cmd.values)
      const next = await correct(d.db, target.id, { items, reason: 'typed wrong' })
      model.made[i]?.add(next.id)
    }
  } catch (error) {
    // A correction that changes no score is refused by the device itself; nothing to check.
    if (!isStorageError(error) || error.code !== 'invalid-argument') throw error
  }
}

let world: SyncWorld
const timings: number[] = []
let refusals = 0
beforeAll(async () => {
  world = await syncWorld()
})
afterAll(async () => {
  console.log(
    `property: ${timings.length} runs, ms each: ${timings.join(' ')}; refused changes seen: ${refusals}`,
  )
  await world.close()
})

describe('convergence property', () => {
  it('S4/S6/S8/S10/S11/S13: random work and faults on 2-3 devices; after a final sync every device equals the server, nothing acknowledged is lost, no duplicates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(command, { minLength: 4, maxLength: 28 }),
        async (deviceCount, commands) => {
          const started = Date.now()
          const username = await addPractitioner(world, 'prop')
          const devices: TestDevice[] = []
          for (let k = 0; k < deviceCount; k += 1) devices.push(await addDevice(world, username))
          const model: Model = {
            made: devices.map(() => new Set<string>()),
            voided: devices.map(() => new Set<string>()),
          }
          try {
            for (const cmd of commands) await run(devices, model, cmd)
            for (const d of devices) await d.transport.flushDelayed()
            for (let round = 0; round < 2; round += 1) {
              for (const d of devices) await d.engine.syncNow()
            }
            const server = await serverSnapshot(world.server.app, username)
            // S13: one pass returns each record once.
            expect(new Set(server.ids).size).toBe(server.ids.length)
            for (const [k, d] of devices.entries()) {
              expect(d.engine.getStatus()).toMatchObject({ state: 'idle', pending: 0 })
              expect(await countPending(d.db)).toBe(0)
              expect(await deviceSnapshot(d.db)).toEqual(server.snapshot)
              const refused = new Set(d.engine.getStatus().conflicts.map((c) => c.entityId))
              for (const id of model.made[k] ?? []) {
                expect(server.snapshot.has(id) || refused.has(id)).toBe(true)
              }
              for (const id of model.voided[k] ?? []) {
                expect(server.snapshot.get(id)?.voided === true || refused.has(id)).toBe(true)
              }
            }
            timings.push(Date.now() - started)
            refusals += devices.reduce((n, d) => n + d.engine.getStatus().conflicts.length, 0)
          } finally {
            for (const d of devices) d.db.close()
            world.devices.length = 0
          }
        },
      ),
      {
        numRuns: Number(process.env.FC_RUNS) || 25,
        seed: Number(process.env.FC_SEED) || undefined,
        verbose: 1,
      },
    )
  }, 180_000)
})
