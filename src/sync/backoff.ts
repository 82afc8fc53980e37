// Retry delays after network failures: exponential with full jitter, so many tablets do not retry in step.
export const BACKOFF_BASE_MS = 2_000
export const BACKOFF_CAP_MS = 5 * 60_000

/** Delay before retry number `attempt` (1 = first retry): random in [ceiling/2, ceiling], ceiling = min(cap, base·2^(attempt-1)). */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  base = BACKOFF_BASE_MS,
  cap = BACKOFF_CAP_MS,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30))
  const ceiling = Math.min(cap, base * 2 ** exponent)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
