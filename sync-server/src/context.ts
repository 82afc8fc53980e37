// What every route plugin gets: the database, its dialect, and the server's epoch and token secret.
import type { Kysely } from 'kysely'
import type { ServerConfig } from './config.ts'
import type { Dialect } from './db/database.ts'
import type { Database } from './db/schema.ts'

export interface AppContext {
  db: Kysely<Database>
  dialect: Dialect
  config: ServerConfig
  epoch: string
  tokenSecret: string
}

export function nowIso(): string {
  return new Date().toISOString()
}
