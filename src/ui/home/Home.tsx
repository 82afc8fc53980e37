import { useTranslation } from 'react-i18next'
import { isUiLocale, LOCALE_NAMES, UI_LOCALES } from '../../i18n/index.ts'
import { useUiStore } from '../../state/ui-store.ts'

export function Home() {
  const { t } = useTranslation()
  const locale = useUiStore((s) => s.locale)
  const setLocale = useUiStore((s) => s.setLocale)
  return (
    <section className="panel" aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title')}</h1>
      <p className="lead">{t('app.tagline')}</p>
      <p>{t('home.intro')}</p>
      <label className="field">
        <span>{t('home.language')}</span>
        <select
          value={locale}
          onChange={(e) => {
            if (isUiLocale(e.target.value)) setLocale(e.target.value)
          }}
        >
          {UI_LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
    </section>
  )
}
