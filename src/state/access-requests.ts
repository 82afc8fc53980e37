// Joiner and leaver requests on the server (needs a connection): the leader asks, the administrator decides.
import type { Role } from '../core/sync-protocol.ts'
import { apiJson } from './online-api.ts'

export interface AccessRequest {
  id: string
  kind: 'joiner' | 'leaver'
  status: 'open' | 'approved' | 'refused'
  unitId: string
  unitName: string
  requestedById: string
  requestedByName: string
  requestedAt: string
  displayName: string | null
  username: string | null
  email: string | null
  role: string | null
  personId: string | null
  personName: string | null
  lastDay: string | null
  accessEndsAt: string | null
  decidedAt: string | null
}

export interface LeaderAccessView {
  units: { id: string; name: string }[]
  staff: {
    id: string
    displayName: string
    username: string
    unitIds: string[]
    accessEndsAt: string | null
  }[]
  requests: AccessRequest[]
}

export type JoinerRequest = {
  kind: 'joiner'
  unitId: string
  displayName: string
  username?: string
  email?: string
  role: Exclude<Role, 'admin'>
}
export type LeaverRequest = { kind: 'leaver'; unitId: string; personId: string; lastDay: string }

export const fetchLeaderAccess = () => apiJson<LeaderAccessView>('/api/access-requests')

export const sendAccessRequest = (body: JoinerRequest | LeaverRequest) =>
  apiJson<AccessRequest>('/api/access-requests', { method: 'POST', body })

export const fetchAccessRequests = () => apiJson<AccessRequest[]>('/api/admin/access-requests')

export const approveAccessRequest = (id: string, password?: string) =>
  apiJson<AccessRequest>(`/api/admin/access-requests/${id}/approve`, {
    method: 'POST',
    body: password === undefined ? {} : { password },
  })

export const refuseAccessRequest = (id: string) =>
  apiJson<AccessRequest>(`/api/admin/access-requests/${id}/refuse`, { method: 'POST', body: {} })
