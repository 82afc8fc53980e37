// Pull: the records a person may see whose last change is after the cursor, in server sequence order, a page at a time.
import { type ExpressionBuilder, type Kysely, sql } from 'kysely'
import type {
  PulledChange,
  PullResponse,
  Role,
  SyncEntity,
} from '../../../src/core/sync-protocol.ts'
import { logClientAccess } from '../accounts/access-log.ts'
import { supervisees } from '../accounts/people.ts'
import type { AppContext } from '../context.ts'
import type { Dialect } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import { currentSeq } from './store.ts'

interface CursorState {
  e: string
  s: number
}

export function encodeCursor(epoch: string, seq: number): string {
  return Buffer.from(JSON.stringify({ e: epoch, s: seq })).toString('base64url')
}

export function decodeCursor(cursor: string): CursorState | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (typeof parsed !== 'object' || parsed === null) return undefined
    const { e, s } = parsed as Record<string, unknown>
    if (typeof e !== 'string' || typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
      return undefined
    }
    return { e, s }
  } catch {
    return undefined
  }
}

/** Whose clients a person reads: their own (practitioner) and their supervisees' (supervisor, read-only). */
export async function readablePeople(
  db: Kysely<Database>,
  personId: string,
  roles: readonly Role[],
): Promise<{ own: string[]; readOnly: string[] }> {
  const own = roles.includes('practitioner') ? [personId] : []
  const readOnly = roles.includes('supervisor')
    ? (await supervisees(db, personId)).filter((id) => id !== personId)
    : []
  return { own, readOnly }
}

/** From this many visible clients on, a page walks the server order instead of each client's records. */
const BROAD_READER_CLIENTS = 200

/** True when `people` read at least `atLeast` clients; counts no further than that. */
async function readsAtLeast(
  db: Kysely<Database>,
  people: readonly string[],
  atLeast: number,
): Promise<boolean> {
  const rows = await db
    .selectFrom('client_access')
    .select('client_id')
    .distinct()
    .where('person_id', 'in', [...people])
    .limit(atLeast)
    .execute()
  return rows.length >= atLeast
}

/**
 * The next page of the records `people` read, after server number `after`. A reader of few clients
 * takes each client's records after the cursor (index records_client) and sorts those: little
 * work, whatever the size of the database. A reader of many clients (a supervisor) would sort all
 * the records after the cursor again for every page (a full pull grew with the square of its
 * size), so the page instead walks the server order from the cursor and looks each record's client
 * up in client_access, and stops when the page is full: each page costs its own rows.
 */
export async function pageStrategy(
  db: Kysely<Database>,
  people: readonly string[],
): Promise<'per-client' | 'server-order'> {
  return (await readsAtLeast(db, people, BROAD_READER_CLIENTS)) ? 'server-order' : 'per-client'
}

export function pageQuery(
  db: Kysely<Database>,
  dialect: Dialect,
  people: readonly string[],
  after: number,
  rows: number,
  strategy: 'per-client' | 'server-order',
) {
  const base = db
    .selectFrom('records')
    .select(['id', 'entity', 'client_id', 'voided', 'superseded_by', 'server_seq', 'payload'])
    .where('server_seq', '>', after)
  const visible =
    strategy === 'per-client'
      ? base.where('client_id', 'in', (eb) =>
          eb
            .selectFrom('client_access')
            .select('client_id')
            .where('person_id', 'in', [...people]),
        )
      : base.where((eb) => eb.exists(accessCheck(eb, dialect, people)))
  return visible.orderBy('server_seq').limit(rows)
}

/**
 * Whether one of `people` is on the client_access list of the record's client, looked up by the
 * client alone (a client has one or two people) and filtered there. Both databases would otherwise
 * plan it in ways that grow with the organisation: SQLite probes (client, person) once per person
 * in the list, so a supervisor of 50 practitioners paid 50 lookups a record; PostgreSQL turns the
 * EXISTS into a join and, from a client_access estimate that is often far off, hashes every
 * visible record after the cursor and sorts them for each page. The unary plus (SQLite) keeps the
 * person column out of the index lookup; OFFSET 0 (PostgreSQL) keeps the check a per-row subplan
 * under the walk of the server_seq index, so a page reads about its own rows.
 */
function accessCheck(
  eb: ExpressionBuilder<Database, 'records'>,
  dialect: Dialect,
  people: readonly string[],
) {
  const byClient = eb
    .selectFrom('client_access')
    .select('client_access.person_id')
    .whereRef('client_access.client_id', '=', 'records.client_id')
  return dialect === 'sqlite'
    ? byClient.where(sql<string>`+client_access.person_id`, 'in', [...people])
    : byClient.where('client_access.person_id', 'in', [...people]).offset(sql.lit(0))
}

export async function runPull(
  ctx: AppContext,
  reader: { personId: string; roles: readonly Role[]; sessionId: string },
  cursor: string | undefined,
  limit: number,
): Promise<PullResponse> {
  const { personId, roles } = reader
  let after = 0
  if (cursor !== undefined && cursor !== '') {
    const state = decodeCursor(cursor)
    if (!state) throw new Refusal(400, 'invalid_cursor', 'The cursor is not one this server made.')
    if (state.e !== ctx.epoch) {
      throw new Refusal(
        409,
        'epoch_changed',
        'The server’s database changed (restored or replaced): pull everything again from no cursor.',
        { serverEpoch: ctx.epoch },
      )
    }
    if (state.s > (await currentSeq(ctx.db))) {
      throw new Refusal(
        409,
        'cursor_ahead',
        'The cursor is ahead of the server (restored from a backup): pull everything again from no cursor.',
        { serverEpoch: ctx.epoch },
      )
    }
    after = state.s
  }
  const { own, readOnly } = await readablePeople(ctx.db, personId, roles)
  const people = [...own, ...readOnly]
  if (people.length === 0) {
    return {
      changes: [],
      cursor: encodeCursor(ctx.epoch, after),
      hasMore: false,
      serverEpoch: ctx.epoch,
    }
  }
  const strategy = await pageStrategy(ctx.db, people)
  const rows = await pageQuery(ctx.db, ctx.dialect, people, after, limit + 1, strategy).execute()
  const hasMore = rows.length > limit
  const page = rows.slice(0, limit)
  const writable = new Set<string>()
  if (own.length > 0 && page.length > 0) {
    const ids = [...new Set(page.map((r) => r.client_id))]
    const access = await ctx.db
      .selectFrom('client_access')
      .select('client_id')
      .where('person_id', '=', personId)
      .where('client_id', 'in', ids)
      .execute()
    for (const a of access) writable.add(a.client_id)
  }
  // The innsynslogg: one row per client on the page, in one insert, before the page leaves.
  const clientIds = [...new Set(page.map((r) => r.client_id))]
  await logClientAccess(
    ctx.db,
    clientIds.map((clientId) =>
      writable.has(clientId)
        ? {
            clientId,
            personId,
            role: 'practitioner',
            relation: 'own',
            channel: 'pull',
            deviceSessionId: reader.sessionId,
          }
        : {
            clientId,
            personId,
            role: 'supervisor',
            relation: 'supervisee',
            channel: 'pull',
            deviceSessionId: reader.sessionId,
          },
    ),
    { at: new Date(ctx.now()).toISOString() },
  )
  // A stored payload passed the push check for its entity (payloads.ts); the device checks it again.
  const changes = page.map(
    (r) =>
      ({
        serverSeq: Number(r.server_seq),
        entity: r.entity as SyncEntity,
        id: r.id,
        clientId: r.client_id,
        voided: r.voided === 1,
        supersededBy: r.superseded_by,
        access: writable.has(r.client_id) ? 'write' : 'read',
        payload: JSON.parse(r.payload),
      }) as PulledChange,
  )
  const lastSeq = page.length > 0 ? Number(page[page.length - 1]?.server_seq) : after
  // An empty last page may still move the cursor up to the last number handed out.
  return {
    changes,
    cursor: encodeCursor(ctx.epoch, lastSeq),
    hasMore,
    serverEpoch: ctx.epoch,
  }
}
