// The reports' read model: the core's EpisodeFacts of every episode in `episode_facts`, written in the push's own transaction and rebuilt when the settings they depend on change.
import type { Kysely } from 'kysely'
import { type AggregateOptions, type EpisodeFacts, episodeFacts } from '../../../src/core/index.ts'
import { type OrgSettings, readSettings } from '../accounts/settings.ts'
import { deleteIn, everyColumn, insertRows } from '../db/bulk-sql.ts'
import type { Dialect } from '../db/database.ts'
import type { Database, EpisodeFactsTable } from '../db/schema.ts'
import { lockCounter, type Trx } from '../sync/store.ts'
import { loadEpisodesWithUnits } from './episodes.ts'

/** Raise when episodeFacts() changes what it computes: every start then rebuilds the table once. */
export const FACTS_VERSION = 3
/** meta key holding the settings the whole table was last built with (absent while a rebuild runs). */
const BUILT_FOR = 'episode_facts_built_for'
const IN_CHUNK = 500
const FACTS_COLUMNS = everyColumn<EpisodeFactsTable>()([
  'episode_id',
  'client_id',
  'unit_id',
  'practitioner_id',
  'started_on',
  'started_year',
  'facts',
])

export function aggregateOptions(settings: OrgSettings): AggregateOptions {
  return {
    norms: settings.cutoffOverrides,
    ...(settings.trajectory ? { trajectory: settings.trajectory } : {}),
  }
}

/** What facts depend on besides the records: the code's version and the settings that feed it. */
export function factsKey(settings: OrgSettings): string {
  const norms = Object.entries(settings.cutoffOverrides)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
  return JSON.stringify({ v: FACTS_VERSION, norms, trajectory: settings.trajectory })
}

/** True when every episode's facts were computed with the settings in force now. */
export async function factsReady(db: Kysely<Database>, settings?: OrgSettings): Promise<boolean> {
  const current = settings ?? (await readSettings(db))
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', BUILT_FOR)
    .executeTakeFirst()
  return row?.value === factsKey(current)
}

/**
 * The order of the facts in a row's JSON array: positions instead of names make the stored text
 * a third as long and quicker to parse (a report at a million forms reads 50,000 of them).
 * Adding a fact means adding it here (at the end) and raising FACTS_VERSION.
 */
const FACT_FIELDS = everyFact([
  'episodeId',
  'clientId',
  'ageGroup',
  'startedAt',
  'endedAt',
  'ending',
  'lengthDays',
  'collateral',
  'sessions',
  'intake',
  'latest',
  'firstRating',
  'ratingTenths',
  'ratings',
  'outcomeSessions',
  'skippedSessions',
  'reachedTarget',
  'change',
  'clinicallySignificant',
  'greenAtEnd',
] as const)

/** The fields as given; a fact missing from them is a compile error (it would not be stored). */
function everyFact<const T extends readonly (keyof EpisodeFacts)[]>(
  fields: T & ([Exclude<keyof EpisodeFacts, T[number]>] extends [never] ? unknown : never),
): T {
  return fields
}

/** One episode's row: its facts, and what reports select by. */
function factsRow(
  facts: EpisodeFacts,
  where: { unitId: string | null; practitionerId: string },
): EpisodeFactsTable {
  return {
    episode_id: facts.episodeId,
    client_id: facts.clientId,
    unit_id: where.unitId,
    practitioner_id: where.practitionerId,
    started_on: facts.startedAt.slice(0, 10),
    started_year: Number(facts.startedAt.slice(0, 4)),
    facts: JSON.stringify(FACT_FIELDS.map((field) => facts[field])),
  }
}

/** The core's facts of a row written by factsRow. */
export function factsOf(row: Pick<EpisodeFactsTable, 'facts'>): EpisodeFacts {
  const v = JSON.parse(row.facts) as unknown[]
  return {
    episodeId: v[0],
    clientId: v[1],
    ageGroup: v[2],
    startedAt: v[3],
    endedAt: v[4],
    ending: v[5],
    lengthDays: v[6],
    collateral: v[7],
    sessions: v[8],
    intake: v[9],
    latest: v[10],
    firstRating: v[11],
    ratingTenths: v[12],
    ratings: v[13],
    outcomeSessions: v[14],
    skippedSessions: v[15],
    reachedTarget: v[16],
    change: v[17],
    clinicallySignificant: v[18],
    greenAtEnd: v[19],
  } as EpisodeFacts
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/**
 * The settings read once per transaction: a group commit's pushes share one transaction, which
 * holds the counter lock a rebuild also takes, so a settings change made meanwhile is rebuilt after
 * this commit anyway; reading them once per push cost a query per push.
 */
const settingsByTrx = new WeakMap<Trx, Promise<OrgSettings>>()
function settingsOf(trx: Trx): Promise<OrgSettings> {
  let settings = settingsByTrx.get(trx)
  if (!settings) {
    settings = readSettings(trx)
    settingsByTrx.set(trx, settings)
  }
  return settings
}

/**
 * Recomputes the facts of every episode of these clients from their records, inside the caller's
 * transaction: the push calls it for the clients it changed (a client's age group is in each of
 * its episodes' facts, a form in its episode's), and the rebuild calls it chunk by chunk.
 */
export async function refreshEpisodeFacts(
  trx: Trx,
  clientIds: readonly string[],
  settings?: OrgSettings,
): Promise<void> {
  if (clientIds.length === 0) return
  const options = aggregateOptions(settings ?? (await settingsOf(trx)))
  for (const ids of chunks([...new Set(clientIds)], IN_CHUNK)) {
    const loaded = await loadEpisodesWithUnits(trx, { clientIds: ids })
    await deleteIn(trx, 'episode_facts', 'client_id', ids)
    const rows = loaded.map(({ episode, unitId, ownerId }) =>
      factsRow(episodeFacts(episode, options), { unitId, practitionerId: ownerId }),
    )
    await insertRows(trx, 'episode_facts', FACTS_COLUMNS, rows)
  }
}

export interface RebuildOptions {
  /** Called after each chunk with the clients done and their total. */
  onProgress?: (done: number, total: number) => void
  /** Checked between chunks: a rebuild that is no longer wanted stops there. */
  signal?: { readonly aborted: boolean }
  /** Clients per transaction. */
  chunk?: number
}

/**
 * Builds the whole table again with the settings in force: at start when it was built with other
 * settings (or never), after a settings change, and by the benchmark after its fast seed. Each
 * chunk is its own transaction and takes the push counter lock, so a push never interleaves with
 * a chunk's read and write; until the last chunk, reports compute facts from the records instead.
 */
export async function rebuildEpisodeFacts(
  db: Kysely<Database>,
  dialect: Dialect,
  options: RebuildOptions = {},
): Promise<'built' | 'aborted'> {
  const settings = await readSettings(db)
  const key = factsKey(settings)
  await db.deleteFrom('meta').where('key', '=', BUILT_FOR).execute()
  const clients = await db
    .selectFrom('records')
    .select('client_id')
    .distinct()
    .where('entity', '=', 'episode')
    .orderBy('client_id')
    .execute()
  const ids = clients.map((c) => c.client_id)
  await db.deleteFrom('episode_facts').execute()
  let done = 0
  options.onProgress?.(0, ids.length)
  for (const part of chunks(ids, options.chunk ?? 500)) {
    if (options.signal?.aborted) return 'aborted'
    await db.transaction().execute(async (trx) => {
      await lockCounter(trx, dialect)
      await refreshEpisodeFacts(trx, part, settings)
    })
    done += part.length
    options.onProgress?.(done, ids.length)
  }
  return db.transaction().execute(async (trx) => {
    // Settings changed while building: not ready; the rebuild that change asked for follows.
    if (factsKey(await readSettings(trx)) !== key || options.signal?.aborted) return 'aborted'
    await trx
      .insertInto('meta')
      .values({ key: BUILT_FOR, value: key })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: key }))
      .execute()
    return 'built'
  })
}
