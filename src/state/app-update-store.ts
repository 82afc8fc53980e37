// Service worker registration and the "new version" prompt; the app never reloads by itself.
import { Workbox } from 'workbox-window'
import { create } from 'zustand'

interface AppUpdateState {
  /** The service worker controls the page: the app shell works offline. */
  offlineReady: boolean
  /** A new version is installed and waits for the practitioner's go-ahead. */
  updateReady: boolean
  applyUpdate: () => void
}

let workbox: Workbox | null = null

export const useAppUpdateStore = create<AppUpdateState>()((set) => ({
  offlineReady: false,
  updateReady: false,
  applyUpdate: () => {
    if (!workbox) return
    // Reload only after the new worker has taken control, and only because a person asked.
    workbox.addEventListener('controlling', () => window.location.reload())
    workbox.messageSkipWaiting()
    set({ updateReady: false })
  },
}))

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return
  workbox = new Workbox('/sw.js', { scope: '/' })
  workbox.addEventListener('waiting', () => useAppUpdateStore.setState({ updateReady: true }))
  workbox.addEventListener('activated', () => useAppUpdateStore.setState({ offlineReady: true }))
  void workbox.register().then((registration) => {
    if (registration?.waiting && navigator.serviceWorker.controller) {
      useAppUpdateStore.setState({ updateReady: true })
    }
    if (navigator.serviceWorker.controller) useAppUpdateStore.setState({ offlineReady: true })
  })
  // Look for a new version when the app comes back into view.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void workbox?.update()
  })
}
