// The innsynslogg in `access_log`: one row each time a client's records were given to a person (who, as what, how, from which device session); inserted, read per client and swept by age, never changed.
import type { Kysely } from 'kysely'
import type { AccessChannel, AccessLogEntry, AccessRelation } from '../../../src/core/access-log.ts'
import type { Role } from '../../../src/core/sync-protocol.ts'
import type { Database } from '../db/schema.ts'
import { audit } from './audit.ts'
import { readSettings } from './settings.ts'

export interface ClientAccessEntry {
  clientId: string
  personId: string
  role: Role
  relation: AccessRelation
  channel: AccessChannel
  deviceSessionId?: string | null
}

/** Display names by person and tablet names by device session, as they are now. */
async function namesNow(db: Kysely<Database>, entries: readonly ClientAccessEntry[]) {
  const personIds = [...new Set(entries.map((e) => e.personId))]
  const sessionIds = [
    ...new Set(entries.flatMap((e) => (e.deviceSessionId ? [e.deviceSessionId] : []))),
  ]
  const [personId] = personIds
  const [sessionId] = sessionIds
  // A request's entries are one person on one device session: one query, not two, per pull page.
  if (personIds.length === 1 && sessionIds.length === 1 && personId && sessionId) {
    const row = await db
      .selectFrom('people')
      .leftJoin('device_sessions', (j) => j.on('device_sessions.id', '=', sessionId))
      .leftJoin('devices', 'devices.id', 'device_sessions.device_id')
      .select(['people.display_name', 'device_sessions.device_name', 'devices.name'])
      .where('people.id', '=', personId)
      .executeTakeFirst()
    return {
      names: new Map([[personId, row?.display_name ?? '']]),
      devices: new Map([[sessionId, row?.name ?? row?.device_name ?? null]]),
    }
  }
  const people = await db
    .selectFrom('people')
    .select(['id', 'display_name'])
    .where('id', 'in', personIds)
    .execute()
  const sessions =
    sessionIds.length === 0
      ? []
      : await db
          .selectFrom('device_sessions')
          .leftJoin('devices', 'devices.id', 'device_sessions.device_id')
          .select(['device_sessions.id', 'device_sessions.device_name', 'devices.name'])
          .where('device_sessions.id', 'in', sessionIds)
          .execute()
  return {
    names: new Map(people.map((p) => [p.id, p.display_name])),
    devices: new Map(sessions.map((d) => [d.id, d.name ?? d.device_name])),
  }
}

/** Rows a statement carries at most (PostgreSQL allows 65535 parameters; a row has 9). */
const ROWS_PER_INSERT = 1000

/**
 * Records that these people were given these clients' records, in one insert (one call per
 * request). Names and device names are copied as they are now: the log must say who it was
 * even after a rename. Call it before the records leave, so none leave unlogged.
 */
export async function logClientAccess(
  db: Kysely<Database>,
  entries: readonly ClientAccessEntry[],
  options: { at?: string } = {},
): Promise<void> {
  if (entries.length === 0) return
  const at = options.at ?? new Date().toISOString()
  const { names, devices } = await namesNow(db, entries)
  const rows = entries.map((e) => ({
    at,
    client_id: e.clientId,
    person_id: e.personId,
    person_name: names.get(e.personId) ?? '',
    role: e.role,
    relation: e.relation,
    channel: e.channel,
    device_session_id: e.deviceSessionId ?? null,
    device_name: e.deviceSessionId ? (devices.get(e.deviceSessionId) ?? null) : null,
  }))
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await db
      .insertInto('access_log')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .execute()
  }
}

/** One client's log, newest first. */
export async function readAccessLog(
  db: Kysely<Database>,
  clientId: string,
): Promise<AccessLogEntry[]> {
  const rows = await db
    .selectFrom('access_log')
    .selectAll()
    .where('client_id', '=', clientId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute()
  return rows.map((r) => ({
    at: r.at,
    personId: r.person_id,
    personName: r.person_name,
    role: r.role as Role,
    relation: r.relation as AccessRelation,
    channel: r.channel as AccessChannel,
    deviceSessionId: r.device_session_id,
    deviceName: r.device_name,
  }))
}

/** The moment before which entries are older than `years` (calendar years, UTC). */
export function retentionCutoff(years: number, nowMs: number): string {
  const cutoff = new Date(nowMs)
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years)
  return cutoff.toISOString()
}

/** Deletes the entries older than the retention; returns how many went. */
export async function sweepAccessLog(
  db: Kysely<Database>,
  retentionYears: number,
  nowMs: number,
): Promise<number> {
  const result = await db
    .deleteFrom('access_log')
    .where('at', '<', retentionCutoff(retentionYears, nowMs))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The sweep with the organisation's retention, audited when it deleted anything. */
export async function sweepExpiredAccessLog(db: Kysely<Database>, nowMs: number): Promise<number> {
  const { accessLogRetentionYears } = await readSettings(db)
  const deleted = await sweepAccessLog(db, accessLogRetentionYears, nowMs)
  if (deleted > 0) {
    await audit(db, {
      actorId: null,
      action: 'access_log_swept',
      details: { deleted, retentionYears: accessLogRetentionYears },
    })
  }
  return deleted
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Sweeps now and then once a day; the returned function stops it (the app's onClose). */
export async function startAccessLogSweeps(
  db: Kysely<Database>,
  now: () => number,
  onError: (error: unknown) => void,
): Promise<() => void> {
  await sweepExpiredAccessLog(db, now())
  const timer = setInterval(() => {
    sweepExpiredAccessLog(db, now()).catch(onError)
  }, DAY_MS)
  timer.unref()
  return () => clearInterval(timer)
}
