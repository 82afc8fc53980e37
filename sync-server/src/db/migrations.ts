// The one ordered list of migrations; the same list runs on SQLite and PostgreSQL at start.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely'
import type { Dialect } from './database.ts'
import type { Database } from './schema.ts'

function migrations(): Record<string, Migration> {
  return {
    '0001_meta': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('meta')
          .ifNotExists()
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute()
      },
    },
  }
}

class InlineProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations()
  }
}

/** Runs pending migrations; on PostgreSQL Kysely's migrator holds an advisory lock so parallel starts are safe. */
export async function migrate(db: Kysely<Database>, _dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: new InlineProvider() })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ''}`, {
      cause: error,
    })
  }
  // The epoch names this database; a restored backup gets a new one and devices do a full pull.
  const existing = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', 'epoch')
    .executeTakeFirst()
  if (!existing) {
    await db
      .insertInto('meta')
      .values({ key: 'epoch', value: crypto.randomUUID() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute()
  }
}

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db)
}
