import { useTranslation } from 'react-i18next'
import {
  type EpisodeStatus,
  type ReasonRole,
  reasonRole,
  type StatusReason,
} from '../../core/index.ts'
import { useFormat } from '../shared/use-format.ts'
import { reasonText } from './reason-text.ts'

/** A reason from the core (an i18n key plus values) in the practitioner's words. */
export function useReasonText(): (reason: StatusReason) => string {
  const { t } = useTranslation()
  const fmt = useFormat()
  return (reason) => reasonText((key, values) => t(key, values), fmt.score, reason)
}

/** The status colour; an ended episode is shown as ended, whatever colour it ended with. */
export function StatusBadge({
  status,
  closed = false,
}: {
  status: EpisodeStatus
  closed?: boolean
}) {
  const { t } = useTranslation()
  if (closed) {
    return (
      <span className="status-badge status-closed">
        <span className="status-dot" aria-hidden="true" />
        {t('episode.closedBadge')}
      </span>
    )
  }
  return (
    <span className={`status-badge status-${status.colour}`}>
      <span className="status-dot" aria-hidden="true" />
      {t(`status.colour.${status.colour}`)}
    </span>
  )
}

/**
 * The colour with the rules that set it ("Red because …"), then alliance alarms to act on now
 * (a grey first session cannot use them for its colour), then what is merely noted. An ended
 * episode says so in its badge; the reasons are those it ended with.
 */
export function StatusPanel({
  status,
  closed = false,
}: {
  status: EpisodeStatus
  closed?: boolean
}) {
  const { t } = useTranslation()
  const text = useReasonText()
  const groups: { role: ReasonRole; title: string }[] = [
    { role: 'colour', title: t(`status.because.${status.colour}`) },
    { role: 'act', title: t('status.actNow') },
    { role: 'note', title: t('status.alsoNoted') },
  ]
  return (
    <section className={`status-panel status-${status.colour}`} aria-labelledby="status-title">
      <h2 id="status-title">
        {t('status.title')}: <StatusBadge status={status} closed={closed} />
      </h2>
      {groups.map(({ role, title }) => {
        const reasons = status.reasons.filter((r) => reasonRole(r) === role)
        if (reasons.length === 0) return null
        return (
          <div key={role} className={`status-reasons status-reasons-${role}`}>
            <h3 id={`status-${role}`}>{title}</h3>
            <ul aria-labelledby={`status-${role}`}>
              {reasons.map((r) => (
                <li key={`${r.key}-${JSON.stringify(r.values)}`}>{text(r)}</li>
              ))}
            </ul>
          </div>
        )
      })}
    </section>
  )
}
