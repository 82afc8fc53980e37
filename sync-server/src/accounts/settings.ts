// The organisation's settings (cut-off overrides, trajectory parameters, idle lock) as one JSON row in `settings`.
import type { Kysely } from 'kysely'
import type { NormSettings, TrajectoryParams } from '../../../src/core/index.ts'
import { nowIso } from '../context.ts'
import type { Database } from '../db/schema.ts'

export interface OrgSettings {
  cutoffOverrides: Partial<NormSettings>
  trajectory: TrajectoryParams | null
  idleLockMinutes: number
}

export const DEFAULT_IDLE_LOCK_MINUTES = 5
const KEY = 'organisation'

export function defaultSettings(): OrgSettings {
  return { cutoffOverrides: {}, trajectory: null, idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES }
}

export async function readSettings(db: Kysely<Database>): Promise<OrgSettings> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', KEY)
    .executeTakeFirst()
  if (!row) return defaultSettings()
  return { ...defaultSettings(), ...(JSON.parse(row.value) as Partial<OrgSettings>) }
}

export async function writeSettings(
  db: Kysely<Database>,
  settings: OrgSettings,
  by: string,
): Promise<void> {
  const value = JSON.stringify(settings)
  const at = nowIso()
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at, updated_by: by }))
    .execute()
}
