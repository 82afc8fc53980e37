// The demo organisation (LINJA_DEMO=1): units, staff and their clients, seeded once per database;
// the records go through the push path (demo-records.ts).
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AppContext } from '../context.ts'
import type { Database } from '../db/schema.ts'
import { claim } from './bootstrap.ts'
import { type DemoCaseload, type DemoOperationsHook, seedDemoRecords } from './demo-records.ts'
import { createPerson } from './people.ts'

export const DEMO_UNITS = ['Psykisk helse og rus', 'Barnevern', 'Forebyggende tjenester'] as const

export interface DemoOptions {
  password: string
  print: (line: string) => void
  operations?: DemoOperationsHook | undefined
}

const SEEDED = 'demo_seeded'
const SEEDING = 'demo_seeding'

/**
 * Seeds the demo unless an earlier start finished it. `demo_seeded` is written only once every
 * record was pushed, so a start that failed part-way leaves the next start to try again.
 */
export async function seedDemo(ctx: AppContext, options: DemoOptions): Promise<void> {
  const { db } = ctx
  const done = await db
    .selectFrom('meta')
    .select('key')
    .where('key', '=', SEEDED)
    .executeTakeFirst()
  if (done) return
  // One instance seeds when several start on one empty PostgreSQL at once; the others go on without it.
  if (!(await claim(db, SEEDING))) return
  try {
    const caseloads = await demoPeople(db, options.password)
    await seedDemoRecords(ctx, await notYetPushed(db, caseloads), options.operations)
    await claim(db, SEEDED)
  } catch (error) {
    await db.deleteFrom('meta').where('key', '=', SEEDING).execute()
    throw error
  }
  options.print(
    `Linja demo: users pia, per, vera (supervisor), lars (leader) with password "${options.password}".`,
  )
}

/** A caseload whose push went through on an earlier, failed start is not pushed twice. */
async function notYetPushed(
  db: Kysely<Database>,
  caseloads: DemoCaseload[],
): Promise<DemoCaseload[]> {
  const holding = await db
    .selectFrom('client_access')
    .select('person_id')
    .where(
      'person_id',
      'in',
      caseloads.map((c) => c.personId),
    )
    .execute()
  const pushed = new Set(holding.map((h) => h.person_id))
  return caseloads.filter((c) => !pushed.has(c.personId))
}

/** The organisation, its units and staff; what an earlier, failed start made is found, not made again. */
async function demoPeople(db: Kysely<Database>, password: string): Promise<DemoCaseload[]> {
  const now = new Date().toISOString()
  const org = await db
    .selectFrom('organisations')
    .select('id')
    .where('name', '=', 'Demo kommune')
    .executeTakeFirst()
  const orgId = org?.id ?? randomUUID()
  if (!org) {
    await db
      .insertInto('organisations')
      .values({ id: orgId, name: 'Demo kommune', created_at: now })
      .execute()
  }
  const unitIds: string[] = []
  for (const name of DEMO_UNITS) {
    const unit = await db
      .selectFrom('units')
      .select('id')
      .where('organisation_id', '=', orgId)
      .where('name', '=', name)
      .executeTakeFirst()
    const id = unit?.id ?? randomUUID()
    if (!unit) {
      await db
        .insertInto('units')
        .values({ id, organisation_id: orgId, name, retired: 0, created_at: now })
        .execute()
    }
    unitIds.push(id)
  }
  const [psyk = '', barnevern = '', forebyggende = ''] = unitIds
  const person = async (input: Parameters<typeof createPerson>[1]): Promise<string> => {
    const found = await db
      .selectFrom('people')
      .select('id')
      .where('username', '=', input.username)
      .executeTakeFirst()
    return found?.id ?? (await createPerson(db, input))
  }
  const pia = await person({
    username: 'pia',
    displayName: 'Pia Praktiker',
    password,
    roles: ['practitioner'],
    unitIds: [psyk],
  })
  const per = await person({
    username: 'per',
    displayName: 'Per Barnevernspedagog',
    password,
    roles: ['practitioner'],
    unitIds: [barnevern],
  })
  const vera = await person({
    username: 'vera',
    displayName: 'Vera Veileder',
    password,
    roles: ['practitioner', 'supervisor'],
    unitIds: [forebyggende],
  })
  await person({
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
      .onConflict((oc) => oc.columns(['supervisor_id', 'practitioner_id']).doNothing())
      .execute()
  }
  return [
    { personId: pia, unitId: psyk, codes: ['PH-01', 'PH-02', 'PH-03', 'PH-04', 'PH-05', 'PH-06'] },
    { personId: per, unitId: barnevern, codes: ['BV-01', 'BV-02'] },
  ]
}
