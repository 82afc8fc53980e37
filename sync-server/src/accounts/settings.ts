// The organisation's settings (cut-off overrides, trajectory parameters, idle lock, device-session limits, two-factor for all, remote-link hours) as one JSON row in `settings`.
import type { Kysely } from 'kysely'
import type { NormSettings, TrajectoryParams } from '../../../src/core/index.ts'
import { REMOTE_LINK_HOURS } from '../../../src/core/remote-link-codes.ts'
import { nowIso } from '../context.ts'
import type { Database } from '../db/schema.ts'

export interface OrgSettings {
  cutoffOverrides: Partial<NormSettings>
  trajectory: TrajectoryParams | null
  idleLockMinutes: number
  /** A device session not used for this many days needs a new sign-in. */
  sessionIdleDays: number
  /** A device session this many days old needs a new sign-in, used or not. */
  sessionMaxDays: number
  /** Access-log entries older than this many years are deleted (accounts/access-log.ts). */
  accessLogRetentionYears: number
  /** Two-factor sign-in for every local account, not only admins (who always need it). */
  twoFactorForAll: boolean
  /** Hours a remote-form link stays usable (REMOTE_LINK_HOURS: 1 to 720, default 168). */
  remoteLinkHours: number
}

export const DEFAULT_IDLE_LOCK_MINUTES = 5
export const DEFAULT_SESSION_IDLE_DAYS = 30
export const DEFAULT_SESSION_MAX_DAYS = 180
export const DEFAULT_ACCESS_LOG_RETENTION_YEARS = 10
export const ACCESS_LOG_RETENTION_RANGE = { minimum: 2, maximum: 30 } as const
const KEY = 'organisation'

export function defaultSettings(): OrgSettings {
  return {
    cutoffOverrides: {},
    trajectory: null,
    idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES,
    sessionIdleDays: DEFAULT_SESSION_IDLE_DAYS,
    sessionMaxDays: DEFAULT_SESSION_MAX_DAYS,
    accessLogRetentionYears: DEFAULT_ACCESS_LOG_RETENTION_YEARS,
    twoFactorForAll: false,
    remoteLinkHours: REMOTE_LINK_HOURS.default,
  }
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
