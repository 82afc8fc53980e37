// First start: the administrator account, and with LINJA_DEMO=1 a fictional organisation with staff and clients.
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import { randomPassword } from '../auth/passwords.ts'
import type { Database } from '../db/schema.ts'
import { audit } from './audit.ts'
import type { DemoCaseload } from './demo-records.ts'
import { createPerson } from './people.ts'

export interface BootstrapOptions {
  adminPassword: string | null
  demo: boolean
  demoPassword: string
  /** Where the one-time password goes (stdout in production). */
  print: (line: string) => void
}

async function claim(db: Kysely<Database>, key: string): Promise<boolean> {
  const result = await db
    .insertInto('meta')
    .values({ key, value: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
}

/**
 * Returns the demo caseloads still to be pushed (on the start that seeded the demo's people):
 * their records go through the push path, which needs the app's context (demo-records.ts).
 */
export async function bootstrap(
  db: Kysely<Database>,
  options: BootstrapOptions,
): Promise<DemoCaseload[]> {
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
  if (options.demo && (await claim(db, 'demo_seeded'))) {
    const caseloads = await seedDemo(db, options.demoPassword)
    options.print(
      `Linja demo: users pia, per, vera (supervisor), lars (leader) with password "${options.demoPassword}".`,
    )
    return caseloads
  }
  return []
}

export const DEMO_UNITS = ['Psykisk helse og rus', 'Barnevern', 'Forebyggende tjenester'] as const

async function seedDemo(db: Kysely<Database>, password: string): Promise<DemoCaseload[]> {
  const orgId = randomUUID()
  const now = new Date().toISOString()
  await db
    .insertInto('organisations')
    .values({ id: orgId, name: 'Demo kommune', created_at: now })
    .execute()
  const unitIds: string[] = []
  for (const name of DEMO_UNITS) {
    const id = randomUUID()
    unitIds.push(id)
    await db
      .insertInto('units')
      .values({ id, organisation_id: orgId, name, retired: 0, created_at: now })
      .execute()
  }
  const [psyk = '', barnevern = '', forebyggende = ''] = unitIds
  const pia = await createPerson(db, {
    username: 'pia',
    displayName: 'Pia Praktiker',
    password,
    roles: ['practitioner'],
    unitIds: [psyk],
  })
  const per = await createPerson(db, {
    username: 'per',
    displayName: 'Per Barnevernspedagog',
    password,
    roles: ['practitioner'],
    unitIds: [barnevern],
  })
  const vera = await createPerson(db, {
    username: 'vera',
    displayName: 'Vera Veileder',
    password,
    roles: ['practitioner', 'supervisor'],
    unitIds: [forebyggende],
  })
  await createPerson(db, {
    username: 'lars',
    displayName: 'Lars Leder',
    password,
    roles: ['leader'],
    unitIds: [psyk, barnevern],
  })
  for (const practitionerId of [pia, per]) {
    await db
      .insertInto('supervision')
      .values({ supervisor_id: vera, practitioner_id: practitionerId })
      .execute()
  }
  return [
    { personId: pia, unitId: psyk, codes: ['PH-01', 'PH-02', 'PH-03', 'PH-04', 'PH-05', 'PH-06'] },
    { personId: per, unitId: barnevern, codes: ['BV-01', 'BV-02'] },
  ]
}
