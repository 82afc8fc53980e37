// The administrator's view of people, units and the audit log, fetched from the server.
// The last copy is kept on the device (fetched-copy.ts) and shown with its date when offline.
import { create } from 'zustand'
import type { Role } from '../core/sync-protocol.ts'
import { fetchKeepingCopy } from './fetched-copy.ts'
import { onLock } from './lock-store.ts'
import { apiJson } from './online-api.ts'

export interface PersonView {
  id: string
  username: string
  displayName: string
  active: boolean
  roles: Role[]
  unitIds: string[]
  supervisorIds: string[]
  /** Enrolled in two-factor sign-in. */
  twoFactor: boolean
  /** A leaver's end of access (ISO); absent in a copy kept before the server sent it. */
  accessEndsAt?: string | null
  /** When access ended, for someone no longer active (ISO); null when not known. */
  deactivatedAt?: string | null
}

export interface UnitView {
  id: string
  name: string
  retired: boolean
}

export interface AuditView {
  id: number
  at: string
  actorId: string | null
  action: string
  target: string | null
  /** The address the request came from (the client's behind a trusted proxy). */
  ip?: string | null
  details?: string | null
}

export interface AuditFilter {
  personId?: string
  action?: string
  /** yyyy-mm-dd, inclusive */
  from?: string
  /** yyyy-mm-dd, inclusive */
  to?: string
}

interface AdminData {
  people: PersonView[]
  units: UnitView[]
  audit: AuditView[]
}

interface AdminState extends AdminData {
  fetchedAt: string | null
  fromCopy: boolean
  refresh: () => Promise<void>
}

const isAdminData = (v: unknown): v is AdminData =>
  v !== null &&
  typeof v === 'object' &&
  ['people', 'units', 'audit'].every((k) => Array.isArray((v as Record<string, unknown>)[k]))

export const useAdminStore = create<AdminState>()((set) => ({
  people: [],
  units: [],
  audit: [],
  fetchedAt: null,
  fromCopy: false,
  refresh: async () => {
    const got = await fetchKeepingCopy(
      'admin',
      async () => {
        const [people, units, audit] = await Promise.all([
          apiJson<PersonView[]>('/api/admin/people'),
          apiJson<UnitView[]>('/api/admin/units'),
          apiJson<AuditView[]>('/api/admin/audit?limit=100'),
        ])
        return { people, units, audit }
      },
      isAdminData,
    )
    set({ ...got.value, fetchedAt: got.fetchedAt, fromCopy: got.fromCopy })
  },
}))

// Names and audit entries are the signed-in admin's: they leave memory at the lock.
onLock(() => useAdminStore.setState({ people: [], units: [], audit: [], fetchedAt: null }))

/** The audit log filtered by person (as actor or target), action and dates; newest first. */
export function searchAudit(filter: AuditFilter): Promise<AuditView[]> {
  const query = new URLSearchParams({ limit: '500' })
  for (const [k, v] of Object.entries(filter)) if (v) query.set(k, v)
  return apiJson<AuditView[]>(`/api/admin/audit?${query.toString()}`)
}

const refreshed = () => useAdminStore.getState().refresh()

export async function editPerson(
  id: string,
  change: { displayName?: string; roles?: Role[]; unitIds?: string[] },
): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}`, { method: 'PATCH', body: change })
  await refreshed()
}

/** Adds or removes one supervision link on the server. */
function link(change: 'add' | 'remove', supervisorId: string, practitionerId: string) {
  return apiJson(`/api/admin/supervision${change === 'remove' ? '/remove' : ''}`, {
    method: 'POST',
    body: { supervisorId, practitionerId },
  })
}

/** Sets who supervises a person: adds and removes links so the list is exactly `supervisorIds`. */
export async function setSupervisors(person: PersonView, supervisorIds: string[]): Promise<void> {
  const add = supervisorIds.filter((id) => !person.supervisorIds.includes(id))
  const remove = person.supervisorIds.filter((id) => !supervisorIds.includes(id))
  for (const supervisorId of add) await link('add', supervisorId, person.id)
  for (const supervisorId of remove) await link('remove', supervisorId, person.id)
  await refreshed()
}

export async function addUnit(name: string): Promise<void> {
  await apiJson('/api/admin/units', { method: 'POST', body: { name } })
  await refreshed()
}

export async function renameUnit(id: string, name: string): Promise<void> {
  await apiJson(`/api/admin/units/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } })
  await refreshed()
}

export async function retireUnit(id: string): Promise<void> {
  await apiJson(`/api/admin/units/${encodeURIComponent(id)}/retire`, { method: 'POST' })
  await refreshed()
}

export async function addPerson(input: {
  username: string
  displayName: string
  password: string
  roles: Role[]
  unitIds?: string[]
  /** Optional: who supervises the new person (a supervision link made right after). */
  supervisorId?: string
}): Promise<void> {
  const { supervisorId, ...person } = input
  const created = await apiJson<{ id: string }>('/api/admin/people', {
    method: 'POST',
    body: person,
  })
  if (supervisorId) await link('add', supervisorId, created.id)
  await refreshed()
}

export async function deactivatePerson(id: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}/deactivate`, { method: 'POST' })
  await refreshed()
}

export async function reactivatePerson(id: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}/reactivate`, { method: 'POST' })
  await refreshed()
}

export async function resetPassword(id: string, newPassword: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}/password`, {
    method: 'POST',
    body: { newPassword },
  })
  await refreshed()
}

/** Forgets a person's authenticator app (lost phone): they enrol again at their next sign-in. */
export async function resetTwoFactor(id: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}/two-factor/reset`, { method: 'POST' })
  await refreshed()
}

export async function handOverClients(fromId: string, toPersonId: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(fromId)}/handover`, {
    method: 'POST',
    body: { toPersonId },
  })
  await refreshed()
}
