import { describe, expect, it } from 'vitest'
import { createIdleLock, DEFAULT_IDLE_LOCK_MINUTES } from '../../src/state/idle-lock.ts'

function setup(minutes: number | null, clientMode = false) {
  let t = 0
  let locks = 0
  let inClientMode = clientMode
  const lock = createIdleLock({
    now: () => t,
    minutes: () => minutes,
    inClientMode: () => inClientMode,
    lock: () => {
      locks += 1
    },
  })
  return {
    lock,
    advanceMinutes: (m: number) => {
      t += m * 60_000
    },
    locks: () => locks,
    setClientMode: (v: boolean) => {
      inClientMode = v
    },
  }
}

describe('idle lock (injected clock, no timers)', () => {
  it("locks after the organisation's idle minutes, not before", () => {
    const s = setup(2)
    s.advanceMinutes(1.9)
    expect(s.lock.check()).toBe(false)
    s.advanceMinutes(0.1)
    expect(s.lock.check()).toBe(true)
    expect(s.locks()).toBe(1)
  })

  it('activity restarts the count', () => {
    const s = setup(2)
    s.advanceMinutes(1.5)
    s.lock.activity()
    s.advanceMinutes(1.5)
    expect(s.lock.check()).toBe(false)
  })

  it(`uses ${DEFAULT_IDLE_LOCK_MINUTES} minutes when the organisation set none`, () => {
    const s = setup(null)
    s.advanceMinutes(DEFAULT_IDLE_LOCK_MINUTES - 0.01)
    expect(s.lock.check()).toBe(false)
    s.advanceMinutes(0.01)
    expect(s.lock.check()).toBe(true)
  })

  it('locks at once when the app is hidden', () => {
    const s = setup(5)
    s.lock.hidden()
    expect(s.locks()).toBe(1)
  })

  it('never locks in client mode (marks keep being saved); the count starts when it ends', () => {
    const s = setup(1, true)
    s.advanceMinutes(30)
    expect(s.lock.check()).toBe(false)
    s.lock.hidden()
    expect(s.locks()).toBe(0)
    s.setClientMode(false)
    s.advanceMinutes(0.5)
    expect(s.lock.check()).toBe(false)
    s.advanceMinutes(0.5)
    expect(s.lock.check()).toBe(true)
  })
})
