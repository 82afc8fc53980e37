import { useTranslation } from 'react-i18next'
import type { EpisodeStatus, StatusReason } from '../../core/index.ts'
import { useFormat } from '../shared/use-format.ts'

const DECIMAL_VALUES = new Set([
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

/** A reason from the core (an i18n key plus values) in the practitioner's words. */
export function useReasonText(): (reason: StatusReason) => string {
  const { t } = useTranslation()
  const fmt = useFormat()
  return (reason) => {
    const values: Record<string, string | number> = {}
    for (const [k, v] of Object.entries(reason.values)) {
      values[k] = typeof v === 'number' && DECIMAL_VALUES.has(k) ? fmt.score(v) : v
    }
    return t(reason.key, values)
  }
}

export function StatusBadge({ status }: { status: EpisodeStatus }) {
  const { t } = useTranslation()
  return (
    <span className={`status-badge status-${status.colour}`}>
      <span className="status-dot" aria-hidden="true" />
      {t(`status.colour.${status.colour}`)}
    </span>
  )
}

export function StatusPanel({ status }: { status: EpisodeStatus }) {
  const { t } = useTranslation()
  const text = useReasonText()
  return (
    <section className={`status-panel status-${status.colour}`} aria-labelledby="status-title">
      <h2 id="status-title">
        {t('status.title')}: <StatusBadge status={status} />
      </h2>
      <ul>
        {status.reasons.map((r) => (
          <li key={`${r.key}-${JSON.stringify(r.values)}`}>{text(r)}</li>
        ))}
      </ul>
    </section>
  )
}
