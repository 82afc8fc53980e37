// Seeds the same organisation as seed-org.ts, but writes the records, change-log and access rows in
// big batched transactions instead of 500-operation pushes, so a million forms take minutes, not hours.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { hashPassword } from '../../sync-server/src/auth/passwords.ts'
import { DATABASE_FILE } from '../../sync-server/src/db/data-dir.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import type { ChangeLogTable, RecordsTable } from '../../sync-server/src/db/schema.ts'
import { rebuildEpisodeFacts } from '../../sync-server/src/reports/facts.ts'
import { checkPayloadShape, checkScores } from '../../sync-server/src/sync/payloads.ts'
import { precheck } from '../../sync-server/src/sync/push.ts'
import type { TestDatabase } from '../server/support/backends.ts'
import { PASSWORD } from '../server/support/world.ts'
import {
  type MakePractitioners,
  orgSessions,
  practitionerCases,
  type SeededOrg,
  seedPeople,
  unitIndexOf,
} from './seed-org.ts'
import { cpuMsSince } from './stats.ts'

export interface Cost {
  ms: number
  cpuMs: number
}

export interface BulkSeededOrg extends SeededOrg {
  /** Building the reports' read model after the records were written. */
  facts: Cost
}

/** Rows written per transaction. */
const CHUNK = 50_000
/** Rows per SQLite insert statement (11 parameters each, well under SQLite's limit). */
const ROWS_PER_STATEMENT = 100

type Row = Record<string, unknown>

/** Rows for one table: column names with their PostgreSQL types. */
interface Batch {
  table: string
  columns: readonly (readonly [string, string])[]
  rows: readonly Row[]
}

/** Writes batches of rows; each `write` is one transaction, which also sets the server sequence. */
interface BulkWriter {
  firstSeq: () => Promise<number>
  write: (batches: readonly Batch[], lastSeq: number) => Promise<void>
  /** After the last batch: statistics, and the connection closed. */
  finish: () => Promise<void>
}

const T = 'text'
const RECORDS = [
  ['id', T],
  ['entity', T],
  ['client_id', T],
  ['owner_id', T],
  ['unit_id', T],
  ['chain_id', T],
  ['voided', 'int'],
  ['superseded_by', T],
  ['server_seq', 'bigint'],
  ['payload', T],
  ['updated_at', T],
] as const satisfies readonly (readonly [keyof RecordsTable, string])[]
const CHANGE_LOG = [
  ['seq', 'bigint'],
  ['record_id', T],
  ['op', T],
  ['device_id', T],
  ['person_id', T],
  ['at', T],
] as const satisfies readonly (readonly [keyof ChangeLogTable, string])[]
const CLIENT_ACCESS = [
  ['client_id', T],
  ['person_id', T],
] as const

function sqliteWriter(dataDir: string): BulkWriter {
  const db = new SQLite(join(dataDir, DATABASE_FILE))
  db.pragma('busy_timeout = 5000')
  // Seeding only: a crash would lose the benchmark's database, nothing else. The server's own
  // connection keeps synchronous = FULL.
  db.pragma('synchronous = OFF')
  // A larger page cache keeps the records indexes in memory while a million rows go in.
  db.pragma('cache_size = -262144')
  const statements = new Map<string, SQLite.Statement>()
  /** One statement inserting `count` rows, positional parameters. */
  const statement = (b: Batch, count: number) => {
    const key = `${b.table} ${count}`
    let prepared = statements.get(key)
    if (!prepared) {
      const row = `(${b.columns.map(() => '?').join(', ')})`
      prepared = db.prepare(
        `insert into ${b.table} (${b.columns.map(([c]) => c).join(', ')}) values ${Array(count).fill(row).join(', ')}`,
      )
      statements.set(key, prepared)
    }
    return prepared
  }
  const insert = (b: Batch) => {
    for (let i = 0; i < b.rows.length; i += ROWS_PER_STATEMENT) {
      const rows = b.rows.slice(i, i + ROWS_PER_STATEMENT)
      statement(b, rows.length).run(rows.flatMap((r) => b.columns.map(([c]) => r[c])))
    }
  }
  const setCounter = db.prepare("update counters set value = ? where name = 'change_seq'")
  const write = db.transaction((batches: readonly Batch[], lastSeq: number) => {
    for (const b of batches) insert(b)
    setCounter.run(lastSeq)
  })
  return {
    firstSeq: async () =>
      Number(
        (
          db.prepare("select value from counters where name = 'change_seq'").get() as {
            value: number
          }
        ).value,
      ),
    write: async (batches, lastSeq) => write(batches, lastSeq),
    finish: async () => {
      db.pragma('wal_checkpoint(TRUNCATE)')
      db.close()
    },
  }
}

/**
 * Many rows in one statement, sent as one JSON text: cheaper for this process than array
 * parameters, whose every quote in a payload the driver would escape by hand.
 */
function jsonInsert(b: Batch): [string, string[]] {
  const names = b.columns.map(([c]) => c)
  const shape = b.columns.map(([c, t]) => `${c} ${t}`).join(', ')
  return [
    `insert into ${b.table} (${names.join(', ')}) select ${names.join(', ')} from json_to_recordset($1::json) as x(${shape})`,
    [JSON.stringify(b.rows)],
  ]
}

function pgWriter(url: string): BulkWriter {
  const client = new pg.Client({ connectionString: url })
  const connected = client.connect()
  return {
    firstSeq: async () => {
      await connected
      // Seeding only, as on SQLite: the server's own connections keep synchronous commits.
      await client.query('set synchronous_commit = off')
      const res = await client.query<{ value: string }>(
        "select value from counters where name = 'change_seq'",
      )
      return Number(res.rows[0]?.value ?? 0)
    },
    write: async (batches, lastSeq) => {
      await client.query('begin')
      try {
        for (const b of batches) if (b.rows.length > 0) await client.query(...jsonInsert(b))
        await client.query("update counters set value = $1 where name = 'change_seq'", [lastSeq])
        await client.query('commit')
      } catch (error) {
        await client.query('rollback')
        throw error
      }
    },
    finish: async () => {
      // What autovacuum does some time after a million inserts, done now so the first report
      // does not run on a planner that still thinks the tables are empty.
      await client.query('analyze')
      await client.end()
    },
  }
}

interface Rows {
  records: RecordsTable[]
  log: ChangeLogTable[]
  access: { client_id: string; person_id: string }[]
}

const batches = (rows: Rows): Batch[] => [
  { table: 'records', columns: RECORDS, rows: rows.records as unknown as Row[] },
  { table: 'change_log', columns: CHANGE_LOG, rows: rows.log as unknown as Row[] },
  { table: 'client_access', columns: CLIENT_ACCESS, rows: rows.access },
]

/**
 * The practitioners as createPerson and the supervision route store them, in one transaction:
 * the admin API would spend a scrypt hash on each (minutes for 500 on a busy machine); they share
 * one here, and none of them signs in.
 */
function practitionersVia(writer: BulkWriter, seq: () => number): MakePractitioners {
  return async ({ count, unitIds, supervisorId }) => {
    const hash = await hashPassword(PASSWORD)
    const at = new Date().toISOString()
    const ids = Array.from({ length: count }, () => randomUUID())
    const people = ids.map((id, p) => ({
      id,
      username: `practitioner${p + 1}`,
      display_name: `practitioner${p + 1}`,
      password_hash: hash,
      active: 1,
      created_at: at,
      must_change_password: 1,
    }))
    await writer.write(
      [
        {
          table: 'people',
          columns: [
            ['id', T],
            ['username', T],
            ['display_name', T],
            ['password_hash', T],
            ['active', 'int'],
            ['created_at', T],
            ['must_change_password', 'int'],
          ],
          rows: people,
        },
        {
          table: 'person_roles',
          columns: [
            ['person_id', T],
            ['role', T],
          ],
          rows: ids.map((id) => ({ person_id: id, role: 'practitioner' })),
        },
        {
          table: 'unit_members',
          columns: [
            ['unit_id', T],
            ['person_id', T],
          ],
          rows: ids.map((id, p) => ({ unit_id: unitIds[unitIndexOf(p)], person_id: id })),
        },
        {
          table: 'supervision',
          columns: [
            ['supervisor_id', T],
            ['practitioner_id', T],
          ],
          rows: ids.map((id) => ({ supervisor_id: supervisorId, practitioner_id: id })),
        },
      ],
      seq(),
    )
    return ids
  }
}

/**
 * The rows the push writes for these operations (apply.ts: a record per operation under the next
 * server sequence number, a change-log row each, the client's access for its practitioners),
 * after the push's own checks of every operation's shape and every form's scores.
 */
function rowsOf(
  body: unknown,
  personId: string,
  unitId: string,
  nextSeq: () => number,
  at: string,
  rows: Rows,
): void {
  // The push's own checks (each payload against its entity's schema, as the route checks a body,
  // then precheck); what they pass is typed by the core schemas.
  const ops = precheck(body as Parameters<typeof precheck>[0])
  for (const op of ops) {
    const shape = checkPayloadShape(op.entity, op.payload)
    if (!shape.ok) throw new Error(`bulk seed: ${shape.message}`)
    if (op.op !== 'create') throw new Error(`bulk seed: only creations, not ${op.op}`)
    if (op.entity === 'administration') {
      const scores = checkScores(op.payload)
      if (!scores.ok) throw new Error(`bulk seed: ${scores.message}`)
    }
    const clientId = op.entity === 'client' ? op.entityId : op.payload.clientId
    const seq = nextSeq()
    rows.records.push({
      id: op.entityId,
      entity: op.entity,
      client_id: clientId,
      owner_id: personId,
      unit_id: unitId,
      chain_id: op.entityId,
      voided: 0,
      superseded_by: null,
      server_seq: seq,
      payload: JSON.stringify(op.payload),
      updated_at: at,
    })
    rows.log.push({
      seq,
      record_id: op.entityId,
      op: op.op,
      device_id: op.deviceId,
      person_id: personId,
      at,
    })
    if (op.entity === 'client') {
      const shared = op.payload.practitionerIds
      for (const person of new Set([personId, ...shared]))
        rows.access.push({ client_id: clientId, person_id: person })
    }
  }
}

/**
 * The organisation of seedOrganisation (the same people, the practitioners written directly;
 * the same generated records) with the records written in transactions of about 50,000 rows, then the reports'
 * read model rebuilt from them. `pushMs` is the time of generating and writing the records.
 */
export async function seedOrganisationBulk(
  app: FastifyInstance,
  database: TestDatabase,
  administrations: number,
): Promise<BulkSeededOrg> {
  const { DATA_DIR: dataDir, DATABASE_URL: url } = database.env
  const writer = url ? pgWriter(url) : sqliteWriter(dataDir ?? '')
  let seq = await writer.firstSeq()
  const people = await seedPeople(
    app,
    administrations,
    practitionersVia(writer, () => seq),
  )
  const t = performance.now()
  const cpu = process.cpuUsage()
  const nextSeq = () => {
    seq += 1
    return seq
  }
  const at = new Date().toISOString()
  let rows: Rows = { records: [], log: [], access: [] }
  let closed = 0
  let forms = 0
  let writes = 0
  for (const made of practitionerCases(people, administrations)) {
    closed += made.closed
    forms += made.forms
    rowsOf(made.device.body(made.ops), made.personId, made.unitId, nextSeq, at, rows)
    if (rows.records.length >= CHUNK) {
      await writer.write(batches(rows), seq)
      writes += 1
      rows = { records: [], log: [], access: [] }
    }
  }
  if (rows.records.length > 0) {
    await writer.write(batches(rows), seq)
    writes += 1
  }
  await writer.finish()
  const d = process.cpuUsage(cpu)
  const facts = await rebuildFacts(database)
  return {
    ...(await orgSessions(app, people)),
    clients: people.clients,
    closed,
    administrations: forms,
    records: 2 * people.clients + forms,
    pushMs: performance.now() - t,
    pushCpuMs: (d.user + d.system) / 1000,
    pushes: writes,
    facts,
  }
}

/**
 * The reports' read model built from the seeded records by the code the push keeps it with
 * (rebuildEpisodeFacts runs refreshEpisodeFacts, which the push calls, over every client).
 */
async function rebuildFacts(database: TestDatabase): Promise<Cost> {
  const opened = openDatabase({
    dataDir: database.env.DATA_DIR ?? '',
    databaseUrl: database.env.DATABASE_URL ?? null,
  })
  const t = performance.now()
  const cpu = process.cpuUsage()
  try {
    const result = await rebuildEpisodeFacts(opened.db, opened.dialect)
    if (result !== 'built') throw new Error(`report facts: rebuild ${result}`)
  } finally {
    await opened.close()
  }
  return { ms: performance.now() - t, cpuMs: cpuMsSince(cpu) }
}
