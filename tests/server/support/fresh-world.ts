// The set-up most server tests share: a server on its own fresh database, with the organisation of world.ts.
import type { FastifyInstance } from 'fastify'
import { afterEach } from 'vitest'
import { appOn, type Backend, createTestDatabase, type TestDatabase } from './backends.ts'
import { makeWorld, type World } from './world.ts'

export interface FreshWorld {
  app: FastifyInstance
  database: TestDatabase
  world: World
}

/**
 * Call inside a describe: returns the set-up a test calls for its own server; after each test the
 * server is closed and its database dropped.
 */
export function freshWorlds(backend: Backend): () => Promise<FreshWorld> {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    // Newest first: a server closes before its database is dropped.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  return async () => {
    const database = await createTestDatabase(backend)
    cleanups.push(() => database.drop())
    const server = await appOn(database)
    cleanups.push(server.close)
    return { app: server.app, database, world: await makeWorld(server.app) }
  }
}
