// What every route plugin gets: the database, its dialect, the server's epoch, token secrets and secrets key.
import type { Kysely } from 'kysely'
import type { SecretsKey } from './auth/secrets-key.ts'
import type { TokenSecrets } from './auth/token-secret.ts'
import type { ServerConfig } from './config.ts'
import type { Dialect } from './db/database.ts'
import type { Database } from './db/schema.ts'
import type { DeliveryOutbox } from './remote/outbox.ts'
import type { FactsBuilder } from './reports/facts-builder.ts'
import type { CommitGroup, PushPlan } from './sync/commit-group.ts'
import type { GroupCommitter } from './sync/group-commit.ts'

export interface AppContext {
  db: Kysely<Database>
  dialect: Dialect
  config: ServerConfig
  epoch: string
  tokenSecrets: TokenSecrets
  /** Seals secrets kept in the database; from outside it (LINJA_SECRETS_KEY_FILE). */
  secretsKey: SecretsKey
  /** Pushes commit through it: concurrent pushes share one transaction and one commit. */
  pushes: GroupCommitter<PushPlan, CommitGroup>
  /** Milliseconds since the epoch; device-session limits and sign-in delays are judged on it. */
  now: () => number
  /** Rebuilds of the reports' read model (after a settings change, or at start). */
  reportFacts: FactsBuilder
  /** Rows per page a report reads its facts in (REPORT_PAGE_ROWS). */
  reportPageRows: number
  /** Sends the messages of remote links (kick it after queueing one). */
  remoteOutbox: DeliveryOutbox
}

export function nowIso(): string {
  return new Date().toISOString()
}
