// The administrator's view of people, devices and the audit log, fetched from the server.
// Kept in memory only, with the time it was fetched, so it can be shown offline with its date.
import { create } from 'zustand'
import type { Role } from '../core/sync-protocol.ts'
import { apiJson } from './online-api.ts'

export interface PersonView {
  id: string
  username: string
  displayName: string
  active: boolean
  roles: Role[]
  unitIds?: string[]
}

export interface DeviceView {
  id: string
  personId: string
  deviceName: string
  createdAt: string
  lastContactAt: string
  appVersion: string | null
  revokedAt: string | null
}

export interface AuditView {
  at: string
  actorId: string | null
  action: string
  target: string | null
}

interface AdminState {
  people: PersonView[]
  devices: DeviceView[]
  audit: AuditView[]
  fetchedAt: string | null
  refresh: () => Promise<void>
}

export const useAdminStore = create<AdminState>()((set) => ({
  people: [],
  devices: [],
  audit: [],
  fetchedAt: null,
  refresh: async () => {
    const [people, devices, audit] = await Promise.all([
      apiJson<PersonView[]>('/api/admin/people'),
      apiJson<DeviceView[]>('/api/admin/devices'),
      apiJson<AuditView[]>('/api/admin/audit?limit=100'),
    ])
    set({ people, devices, audit, fetchedAt: new Date().toISOString() })
  },
}))

export async function addPerson(input: {
  username: string
  displayName: string
  password: string
  roles: Role[]
}): Promise<void> {
  await apiJson('/api/admin/people', { method: 'POST', body: input })
  await useAdminStore.getState().refresh()
}

export async function deactivatePerson(id: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}/deactivate`, { method: 'POST' })
  await useAdminStore.getState().refresh()
}

export async function revokeDevice(id: string): Promise<void> {
  await apiJson(`/api/admin/devices/${encodeURIComponent(id)}/revoke`, { method: 'POST' })
  await useAdminStore.getState().refresh()
}

export async function reactivatePerson(id: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}/reactivate`, { method: 'POST' })
  await useAdminStore.getState().refresh()
}

export async function resetPassword(id: string, newPassword: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(id)}/password`, {
    method: 'POST',
    body: { newPassword },
  })
  await useAdminStore.getState().refresh()
}

export async function handOverClients(fromId: string, toPersonId: string): Promise<void> {
  await apiJson(`/api/admin/people/${encodeURIComponent(fromId)}/handover`, {
    method: 'POST',
    body: { toPersonId },
  })
  await useAdminStore.getState().refresh()
}
