// Failed sign-ins per (username, address), in memory: after a few free mistakes each further one doubles the wait.
// Keyed by both so that failures sent from one address never slow the same person down at another.

/** Mistakes a person may make before any wait. */
export const FREE_FAILURES = 3
const FIRST_DELAY_MS = 2_000
export const MAX_DELAY_MS = 15 * 60 * 1000
/** A key with no failure for this long is forgotten: the next mistake is free again. */
const FORGET_MS = 24 * 60 * 60 * 1000
const MAX_KEYS = 10_000

interface Failures {
  count: number
  lastAt: number
}

/** The wait after `count` failures in a row: 0, 0, 2 s, 4 s, 8 s … up to 15 minutes. */
export function delayAfter(count: number): number {
  if (count < FREE_FAILURES) return 0
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (count - FREE_FAILURES))
}

export class LoginThrottle {
  private readonly failures = new Map<string, Failures>()

  constructor(private readonly now: () => number = Date.now) {}

  private key(username: string, address: string): string {
    return `${username}\n${address}`
  }

  private entry(username: string, address: string): Failures | undefined {
    const key = this.key(username, address)
    const entry = this.failures.get(key)
    if (entry && this.now() - entry.lastAt > FORGET_MS) {
      this.failures.delete(key)
      return undefined
    }
    return entry
  }

  /** Milliseconds until this address may try this username again; 0 = now. */
  waitMs(username: string, address: string): number {
    const entry = this.entry(username, address)
    if (!entry) return 0
    return Math.max(0, entry.lastAt + delayAfter(entry.count) - this.now())
  }

  /** Records a failure; answers how long the next attempt must wait. */
  failed(username: string, address: string): number {
    const key = this.key(username, address)
    const entry = this.entry(username, address) ?? { count: 0, lastAt: 0 }
    entry.count += 1
    entry.lastAt = this.now()
    // Re-inserted so that the map's order is oldest failure first.
    this.failures.delete(key)
    this.failures.set(key, entry)
    if (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value
      if (oldest !== undefined) this.failures.delete(oldest)
    }
    return delayAfter(entry.count)
  }

  succeeded(username: string, address: string): void {
    this.failures.delete(this.key(username, address))
  }
}
