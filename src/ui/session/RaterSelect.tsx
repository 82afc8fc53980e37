import { useTranslation } from 'react-i18next'
import type { Rater } from '../../core/index.ts'

/** Who fills in the form; shown only when the form allows more than the client. */
export function RaterSelect(props: {
  raters: readonly Rater[]
  value: Rater
  onChange: (rater: Rater) => void
}) {
  const { t } = useTranslation()
  if (props.raters.length <= 1) return null
  return (
    <label className="field">
      <span>{t('start.rater')}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as Rater)}>
        {props.raters.map((r) => (
          <option key={r} value={r}>
            {t(`rater.${r}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
