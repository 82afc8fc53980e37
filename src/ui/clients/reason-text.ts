// A status reason from the core (an i18n key plus values) in words; pure, so tests render it too.
import type { StatusReason } from '../../core/index.ts'

/** Values shown as scores with one decimal (22,3); the rest (session, count, form) as they are. */
const SCORE_VALUES = new Set([
  'score',
  'boundary',
  'intake',
  'change',
  'rci',
  'total',
  'cutoff',
  'previous',
  'drop',
  'lowest',
  'threshold',
  'target',
])

export type Translate = (key: string, values: Record<string, string | number>) => string

export function reasonText(
  t: Translate,
  formatScore: (value: number) => string,
  reason: StatusReason,
): string {
  const values: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(reason.values)) {
    values[k] = typeof v === 'number' && SCORE_VALUES.has(k) ? formatScore(v) : v
  }
  return t(reason.key, values)
}
