// An in-process sync server (temporary SQLite) and simulated devices, each with its own fake-indexeddb and engine.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { type LinjaDb, openLinjaDb } from '../../../src/storage/index.ts'
import {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
} from '../../../src/sync/index.ts'
import {
  appOn,
  type Backend,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from '../../server/support/backends.ts'
import { addPerson, login, PASSWORD, type Session } from '../../server/support/world.ts'
import { testKeys } from '../../storage/keys.ts'
import { type InjectTransport, injectTransport } from './inject-transport.ts'

export interface SyncWorld {
  server: TestServer
  database: TestDatabase
  admin: Session
  devices: TestDevice[]
  /** Stops the server, runs `meanwhile` (e.g. restore a file), starts it again; devices follow. */
  restart: (meanwhile?: () => void | Promise<void>) => Promise<void>
  close: () => Promise<void>
}

export async function syncWorld(backend: Backend = 'sqlite'): Promise<SyncWorld> {
  const database = await createTestDatabase(backend)
  // Simulated devices log in far more often than people do; the limit has its own server tests.
  const env = { LINJA_LOGIN_RATE_LIMIT: '100000' }
  const server = await appOn(database, env)
  const world: SyncWorld = {
    server,
    database,
    admin: await login(server.app, 'admin', 'admin-password-1'),
    devices: [],
    restart: async (meanwhile) => {
      await world.server.close()
      await meanwhile?.()
      world.server = await appOn(database, env)
      for (const device of world.devices) device.transport.setApp(world.server.app)
    },
    close: async () => {
      for (const device of world.devices) device.db.close()
      await world.server.close()
      await database.drop()
    },
  }
  return world
}

let people = 0
/** A new practitioner (unique name); returns the username. */
export async function addPractitioner(world: SyncWorld, prefix = 'pia'): Promise<string> {
  people += 1
  const username = `${prefix}${people}`
  await addPerson(world.server.app, world.admin, username, ['practitioner'])
  return username
}

export interface TestDevice {
  name: string
  db: LinjaDb
  factory: IDBFactory
  transport: InjectTransport
  engine: SyncEngine
  /** Cancel functions of scheduled retries (they never run by themselves in tests). */
  retries: number[]
}

let devices = 0
export async function addDevice(
  world: SyncWorld,
  username: string,
  options: Partial<SyncEngineOptions> = {},
): Promise<TestDevice> {
  devices += 1
  const name = `device-${devices}`
  const factory = new IDBFactory()
  const db = openLinjaDb(name, { indexedDB: factory, IDBKeyRange })
  db.unlock(await testKeys(name))
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
    ...options,
  })
  await engine.login(username, PASSWORD, name)
  const device = { name, db, factory, transport, engine, retries }
  world.devices.push(device)
  return device
}
