// One sync at a time across tabs: the Web Locks API when the browser has it.
export type SyncLock = <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>

export const SYNC_LOCK_NAME = 'linja-sync'

/** `ifAvailable`: when another tab holds the lock it is syncing already, so this one skips. */
export function webLock(): SyncLock {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  if (!locks) return (_name, run) => run()
  return (name, run) =>
    locks.request(name, { ifAvailable: true }, (lock) => (lock ? run() : undefined))
}
