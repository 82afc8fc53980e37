// How many access requests from unit leaders wait for the administrator: the count her menus show.
import { create } from 'zustand'
import { type AccessRequest, fetchAccessRequests } from './access-requests.ts'
import { onLock } from './lock-store.ts'

interface OpenRequestsState {
  count: number
  /** Counts the open ones in a list just fetched (the Ansatte section's own list). */
  countFrom: (requests: AccessRequest[]) => void
  /** Asks the server; offline or refused, the last count stays (the menu is no place for errors). */
  refresh: () => Promise<void>
}

export const useOpenRequests = create<OpenRequestsState>()((set) => ({
  count: 0,
  countFrom: (requests) => set({ count: requests.filter((r) => r.status === 'open').length }),
  refresh: async () => {
    try {
      const requests = await fetchAccessRequests()
      set({ count: requests.filter((r) => r.status === 'open').length })
    } catch {
      // The admin screen itself says what went wrong when she opens it.
    }
  },
}))

onLock(() => useOpenRequests.setState({ count: 0 }))
