import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from './locales/en.ts'
import { nb } from './locales/nb.ts'
import { nn } from './locales/nn.ts'

export const UI_LOCALES = ['nb', 'nn', 'en'] as const
export type UiLocale = (typeof UI_LOCALES)[number]

export const LOCALE_NAMES: Record<UiLocale, string> = {
  nb: 'Norsk bokmål',
  nn: 'Norsk nynorsk',
  en: 'English',
}

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value)
}

/** BCP-47 tag for Intl formatting (Norwegian decimal comma, dates). */
export function intlLocale(locale: UiLocale): string {
  return locale === 'en' ? 'en-GB' : locale === 'nn' ? 'nn-NO' : 'nb-NO'
}

export async function initI18n(locale: UiLocale): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'nb',
    supportedLngs: [...UI_LOCALES],
    resources: {
      nb: { translation: nb },
      nn: { translation: nn },
      en: { translation: en },
    },
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  return i18next
}

/**
 * The words of remote links (key `remote`), loaded with their section on a client's page: they
 * are not needed before client mode is interactive, so the first load does not carry them.
 */
export async function loadRemoteLinkWords(): Promise<void> {
  const words = await import('./locales/remote-links.ts')
  for (const locale of UI_LOCALES) {
    i18next.addResourceBundle(locale, 'translation', { remote: words[locale] }, true, false)
  }
}

export { i18next }
