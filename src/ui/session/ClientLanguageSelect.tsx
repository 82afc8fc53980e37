import { useTranslation } from 'react-i18next'
import { LOCALES, type Locale } from '../../core/index.ts'
import { LOCALE_NAMES } from '../../i18n/index.ts'
import { languageName } from '../shared/language-name.ts'

/** The language the client sees the form in: Linja's own, then the text pack's for this form. */
export function ClientLanguageSelect(props: {
  value: string
  /** Languages the organisation's text pack adds for the chosen form. */
  extra: readonly string[]
  /** The practitioner's language, in which the pack's languages are named. */
  practitionerLocale: Locale
  onChange: (language: string) => void
}) {
  const { t } = useTranslation()
  return (
    <label className="field">
      <span>{t('start.clientLanguage')}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
        {props.extra.map((tag) => (
          <option key={tag} value={tag}>
            {languageName(tag, props.practitionerLocale)}
          </option>
        ))}
      </select>
    </label>
  )
}
