import { describe, expect, it } from 'vitest'
import {
  BACKOFF_CAP_MS,
  backoffDelay,
  PERIODIC_SYNC_MS,
  type SchedulerEnv,
  type SyncEngine,
  type SyncStatus,
  type SyncTrigger,
  startSyncScheduler,
} from '../../src/sync/index.ts'

type Event = 'online' | 'offline' | 'visibilitychange'

function fakeEnv() {
  const listeners = new Map<Event, Set<() => void>>()
  const intervals: { run: () => void; ms: number; cleared: boolean }[] = []
  const state = { online: true, visible: true }
  const env: SchedulerEnv = {
    isOnline: () => state.online,
    isVisible: () => state.visible,
    addEventListener: (type, listener) => {
      const set = listeners.get(type) ?? new Set()
      set.add(listener)
      listeners.set(type, set)
    },
    removeEventListener: (type, listener) => {
      listeners.get(type)?.delete(listener)
    },
    setInterval: (run, ms) => {
      const handle = { run, ms, cleared: false }
      intervals.push(handle)
      return handle
    },
    clearInterval: (handle) => {
      ;(handle as { cleared: boolean }).cleared = true
    },
  }
  const fire = (type: Event) => {
    for (const l of listeners.get(type) ?? []) l()
  }
  return { env, state, fire, intervals, listeners }
}

function fakeEngine() {
  const calls: SyncTrigger[] = []
  const offline: boolean[] = []
  let disposed = false
  const engine = {
    syncNow: async (trigger: SyncTrigger = 'manual') => {
      calls.push(trigger)
      return {} as SyncStatus
    },
    reportOffline: (value: boolean) => {
      offline.push(value)
    },
    refreshPending: async () => undefined,
    dispose: () => {
      disposed = true
    },
  } as unknown as SyncEngine
  return { engine, calls, offline, disposed: () => disposed }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('sync scheduler', () => {
  it('syncs on start, when the network returns, on becoming visible, every 5 minutes, after a form and on "Sync now"', async () => {
    const { env, fire, intervals, state } = fakeEnv()
    const { engine, calls } = fakeEngine()
    const scheduler = startSyncScheduler(engine, env)
    await settle()
    fire('online')
    state.visible = false
    fire('visibilitychange')
    state.visible = true
    fire('visibilitychange')
    expect(intervals[0]?.ms).toBe(PERIODIC_SYNC_MS)
    intervals[0]?.run()
    scheduler.syncSoon()
    await scheduler.syncNow()
    await settle()
    expect(calls).toEqual(['start', 'online', 'visible', 'periodic', 'form', 'manual'])
    scheduler.stop()
  })

  it('makes no request while offline but reports offline; stop removes every trigger', async () => {
    const { env, fire, intervals, state, listeners } = fakeEnv()
    const fake = fakeEngine()
    state.online = false
    const scheduler = startSyncScheduler(fake.engine, env)
    await settle()
    intervals[0]?.run()
    scheduler.syncSoon()
    await scheduler.syncNow()
    expect(fake.calls).toEqual([])
    expect(fake.offline.every((v) => v)).toBe(true)
    fire('offline')
    state.online = true
    fire('online')
    await settle()
    expect(fake.calls).toEqual(['online'])
    scheduler.stop()
    expect(intervals[0]?.cleared).toBe(true)
    expect([...listeners.values()].every((set) => set.size === 0)).toBe(true)
    expect(fake.disposed()).toBe(true)
    fire('online')
    await settle()
    expect(fake.calls).toEqual(['online'])
  })
})

describe('backoff', () => {
  it('doubles from 2 s with jitter in [half, full] and never exceeds 5 minutes', () => {
    expect(backoffDelay(1, () => 0)).toBe(1000)
    expect(backoffDelay(1, () => 1)).toBe(2000)
    expect(backoffDelay(3, () => 1)).toBe(8000)
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF_CAP_MS)
    expect(backoffDelay(50, () => 0)).toBe(BACKOFF_CAP_MS / 2)
  })
})
