// The directory access settings the admin sees: the OpenID Connect settings (read only) and the group → role mapping, fetched from the server (online only).
import type { Role } from '../core/sync-protocol.ts'
import { apiJson } from './online-api.ts'

export interface GroupMapping {
  id: string
  groupId: string
  role: Role
  unitId: string | null
}

export interface IdentitySettings {
  oidc: {
    issuer: string
    clientId: string
    redirectUri: string
    scopes: string
    groupsClaim: string
    idClaim: string
  } | null
}

export async function loadDirectoryAccess(): Promise<{
  settings: IdentitySettings
  mappings: GroupMapping[]
}> {
  const [settings, mappings] = await Promise.all([
    apiJson<IdentitySettings>('/api/admin/identity'),
    apiJson<GroupMapping[]>('/api/admin/directory-groups'),
  ])
  return { settings, mappings }
}

export async function mapGroup(input: {
  groupId: string
  role: Role
  unitId: string | null
}): Promise<void> {
  await apiJson('/api/admin/directory-groups', { method: 'POST', body: input })
}

export async function unmapGroup(id: string): Promise<void> {
  await apiJson(`/api/admin/directory-groups/${encodeURIComponent(id)}`, { method: 'DELETE' })
}
