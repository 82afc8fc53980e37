// An in-process sync server (temporary SQLite) and simulated devices, each with its own fake-indexeddb and engine.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { type LinjaDb, openLinjaDb } from '../../../src/storage/index.ts'
import {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
} from '../../../src/sync/index.ts'
import { type Backend, serverFor, type TestServer } from '../../server/support/backends.ts'
import { addPerson, login, PASSWORD, type Session } from '../../server/support/world.ts'
import { type InjectTransport, injectTransport } from './inject-transport.ts'

export interface SyncWorld {
  server: TestServer
  admin: Session
  close: () => Promise<void>
}

export async function syncWorld(backend: Backend = 'sqlite'): Promise<SyncWorld> {
  const server = await serverFor(backend)
  const admin = await login(server.app, 'admin', 'admin-password-1')
  return { server, admin, close: () => server.close() }
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
  return { name, db, factory, transport, engine, retries }
}
