// The organisation's settings (local cut-offs, fitted trajectory, idle lock), fetched after a sync
// and kept in the device database (meta 'orgSettings') so status and charts use them offline.
import { create } from 'zustand'
import type { StatusSettings, TrajectoryParams } from '../core/index.ts'
import { getMeta, setMeta } from '../storage/index.ts'
import { database } from './database.ts'
import { apiJson } from './online-api.ts'

const KEY = 'orgSettings'

export interface OrgSettings {
  idleLockMinutes: number
  norms: NonNullable<StatusSettings['norms']>
  trajectory: TrajectoryParams | null
}

interface OrgSettingsState {
  settings: OrgSettings | null
}

export const useOrgSettingsStore = create<OrgSettingsState>()(() => ({ settings: null }))

function isOrgSettings(value: unknown): value is OrgSettings {
  if (value === null || typeof value !== 'object') return false
  const v = value as Record<string, unknown>
  const numbers = (o: unknown) =>
    o !== null &&
    typeof o === 'object' &&
    Object.values(o).every((x) => typeof x === 'number' && Number.isFinite(x))
  return (
    typeof v.idleLockMinutes === 'number' &&
    numbers(v.norms) &&
    (v.trajectory === null ||
      numbers(
        Object.fromEntries(
          Object.entries(v.trajectory as object).filter(([k]) =>
            ['a', 'b', 'targetOffset', 'atRiskOffset', 'n'].includes(k),
          ),
        ),
      ))
  )
}

/** What the core's status, chart and aggregate functions take; the defaults when none is known. */
export function settingsFor(s: OrgSettings | null): StatusSettings {
  if (!s) return {}
  return { norms: s.norms, ...(s.trajectory ? { trajectory: s.trajectory } : {}) }
}

export function statusSettings(): StatusSettings {
  return settingsFor(useOrgSettingsStore.getState().settings)
}

export async function loadOrgSettings(): Promise<void> {
  const stored = await getMeta<unknown>(database(), KEY)
  useOrgSettingsStore.setState({ settings: isOrgSettings(stored) ? stored : null })
}

export async function refreshOrgSettings(): Promise<void> {
  const answer = await apiJson<unknown>('/api/settings')
  if (!isOrgSettings(answer)) return
  const settings: OrgSettings = {
    idleLockMinutes: answer.idleLockMinutes,
    norms: answer.norms,
    trajectory: answer.trajectory,
  }
  await setMeta(database(), KEY, settings)
  useOrgSettingsStore.setState({ settings })
}
