// When the device syncs: at start, when the network comes back, when the app becomes visible, every 5 minutes, after a form, and on "Sync now".
import type { SyncEngine, SyncTrigger } from './engine.ts'

export const PERIODIC_SYNC_MS = 5 * 60_000

/** The parts of `window` and `document` the scheduler needs (tests pass a fake). */
export interface SchedulerEnv {
  isOnline: () => boolean
  isVisible: () => boolean
  addEventListener: (type: 'online' | 'offline' | 'visibilitychange', listener: () => void) => void
  removeEventListener: (
    type: 'online' | 'offline' | 'visibilitychange',
    listener: () => void,
  ) => void
  setInterval: (run: () => void, ms: number) => unknown
  clearInterval: (handle: unknown) => void
}

export interface SyncScheduler {
  /** After a completed form: sync if online. */
  syncSoon: () => void
  /** The "Sync now" button. */
  syncNow: () => Promise<void>
  stop: () => void
}

/** The browser's window and document; only call this in the browser. */
export function browserEnv(): SchedulerEnv {
  return {
    isOnline: () => navigator.onLine,
    isVisible: () => document.visibilityState === 'visible',
    addEventListener: (type, listener) =>
      type === 'visibilitychange'
        ? document.addEventListener(type, listener)
        : window.addEventListener(type, listener),
    removeEventListener: (type, listener) =>
      type === 'visibilitychange'
        ? document.removeEventListener(type, listener)
        : window.removeEventListener(type, listener),
    setInterval: (run, ms) => window.setInterval(run, ms),
    clearInterval: (handle) => window.clearInterval(handle as number),
  }
}

export function startSyncScheduler(
  engine: SyncEngine,
  env: SchedulerEnv = browserEnv(),
): SyncScheduler {
  let stopped = false
  const run = async (trigger: SyncTrigger): Promise<void> => {
    if (stopped) return
    if (!env.isOnline()) {
      // No request while offline; the status says so, and `online` brings the next attempt.
      engine.reportOffline(true)
      await engine.refreshPending()
      return
    }
    engine.reportOffline(false)
    await engine.syncNow(trigger)
  }
  const onOnline = () => void run('online')
  const onOffline = () => engine.reportOffline(true)
  const onVisible = () => {
    if (env.isVisible()) void run('visible')
  }
  env.addEventListener('online', onOnline)
  env.addEventListener('offline', onOffline)
  env.addEventListener('visibilitychange', onVisible)
  const timer = env.setInterval(() => void run('periodic'), PERIODIC_SYNC_MS)
  void run('start')
  return {
    syncSoon: () => void run('form'),
    syncNow: () => run('manual'),
    stop: () => {
      stopped = true
      env.removeEventListener('online', onOnline)
      env.removeEventListener('offline', onOffline)
      env.removeEventListener('visibilitychange', onVisible)
      env.clearInterval(timer)
      engine.dispose()
    },
  }
}
