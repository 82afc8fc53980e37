// The administrator's list of tablets (one row per tablet, however many sign-ins it has had), fetched from the server; nothing kept on the device.
import { create } from 'zustand'
import { onLock } from './lock-store.ts'
import { apiJson } from './online-api.ts'

export interface TabletView {
  id: string
  name: string
  appVersion: string | null
  lastContactAt: string
  /** Who is signed in on it now. */
  people: string[]
  active: boolean
}

interface TabletsState {
  tablets: TabletView[]
  loaded: boolean
}

export const useTabletsStore = create<TabletsState>()(() => ({ tablets: [], loaded: false }))

export async function refreshTablets(): Promise<void> {
  const tablets = await apiJson<TabletView[]>('/api/admin/tablets')
  useTabletsStore.setState({ tablets, loaded: true })
}

export async function renameTablet(id: string, name: string): Promise<void> {
  await apiJson(`/api/admin/tablets/${encodeURIComponent(id)}`, {
    method: 'PUT',
    body: { name: name.trim() },
  })
  await refreshTablets()
}

/** Signs everyone out of the tablet; it wipes itself at its next contact. */
export async function revokeTablet(id: string): Promise<void> {
  await apiJson(`/api/admin/tablets/${encodeURIComponent(id)}/revoke`, { method: 'POST' })
  await refreshTablets()
}

// Names of staff are the signed-in admin's view: they leave memory at the lock.
onLock(() => useTabletsStore.setState({ tablets: [], loaded: false }))
