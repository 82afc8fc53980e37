// When the practitioner's screens lock: after idle minutes (the organisation's setting) and when the app is hidden; never in client mode.
/*
 * Pure: the clock and the lock are passed in, so tests run it without timers or a DOM.
 * Client mode keeps the key: a client's marks must be saved at once, and client mode shows only
 * the form; leaving it needs the PIN (client-mode-store).
 */
export const DEFAULT_IDLE_LOCK_MINUTES = 5

export interface IdleLockOptions {
  now: () => number
  /** The organisation's idleLockMinutes; a missing or non-positive value means the default. */
  minutes: () => number | null | undefined
  inClientMode: () => boolean
  lock: () => void
}

export interface IdleLock {
  /** A touch, a key, a scroll: the practitioner is there. */
  activity: () => void
  /** Called periodically; locks when idle long enough. Returns true when it locked. */
  check: () => boolean
  /** The app went to the background (another app, the screen turned off). */
  hidden: () => void
}

export function idleLimitMs(minutes: number | null | undefined): number {
  const m =
    typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0
      ? minutes
      : DEFAULT_IDLE_LOCK_MINUTES
  return m * 60_000
}

export function createIdleLock(options: IdleLockOptions): IdleLock {
  let last = options.now()
  return {
    activity: () => {
      last = options.now()
    },
    check: () => {
      if (options.inClientMode()) {
        last = options.now()
        return false
      }
      if (options.now() - last < idleLimitMs(options.minutes())) return false
      options.lock()
      return true
    },
    hidden: () => {
      if (!options.inClientMode()) options.lock()
    },
  }
}
