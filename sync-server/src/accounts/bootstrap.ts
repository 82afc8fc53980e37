// First start: the administrator account (the demo organisation is demo.ts).
import type { Kysely } from 'kysely'
import { randomPassword } from '../auth/passwords.ts'
import type { Database } from '../db/schema.ts'
import { audit } from './audit.ts'
import { createPerson } from './people.ts'

export interface BootstrapOptions {
  adminPassword: string | null
  /** Where the one-time password goes (stdout in production). */
  print: (line: string) => void
}

/** True for the one start that inserts `key`; several instances may start at once. */
export async function claim(db: Kysely<Database>, key: string): Promise<boolean> {
  const result = await db
    .insertInto('meta')
    .values({ key, value: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}

export async function bootstrap(db: Kysely<Database>, options: BootstrapOptions): Promise<void> {
  // The meta claim makes this safe when several instances start on one empty PostgreSQL at once.
  if (await claim(db, 'admin_created')) {
    const password = options.adminPassword ?? randomPassword()
    const id = await createPerson(db, {
      username: 'admin',
      displayName: 'Administrator',
      password,
      roles: ['admin'],
    })
    await audit(db, { actorId: null, action: 'admin_created', target: id })
    if (!options.adminPassword) {
      options.print(
        `Linja: created user "admin" with password ${password} (shown once; change it).`,
      )
    }
  }
}
