// Failed logins per username, in memory: after MAX_FAILURES within WINDOW_MS the username is locked for the rest of the window.
const MAX_FAILURES = 5
const WINDOW_MS = 15 * 60 * 1000

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(private readonly now: () => number = Date.now) {}

  private recent(username: string): number[] {
    const since = this.now() - WINDOW_MS
    const list = (this.failures.get(username) ?? []).filter((t) => t > since)
    if (list.length === 0) this.failures.delete(username)
    else this.failures.set(username, list)
    return list
  }

  blocked(username: string): boolean {
    return this.recent(username).length >= MAX_FAILURES
  }

  failed(username: string): void {
    const list = this.recent(username)
    list.push(this.now())
    this.failures.set(username, list)
    if (this.failures.size > 10_000) {
      const oldest = this.failures.keys().next().value
      if (oldest !== undefined) this.failures.delete(oldest)
    }
  }

  succeeded(username: string): void {
    this.failures.delete(username)
  }
}
