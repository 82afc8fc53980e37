import type { Locale } from '../../core/index.ts'
import { intlLocale } from '../../i18n/index.ts'

/** "somali (Soomaali)": the language's name in the practitioner's language and in its own. */
export function languageName(tag: string, inLocale: Locale): string {
  try {
    const here = new Intl.DisplayNames([intlLocale(inLocale)], { type: 'language' }).of(tag)
    const own = new Intl.DisplayNames([tag], { type: 'language' }).of(tag)
    return here && own && here !== own ? `${here} (${own})` : (here ?? tag)
  } catch {
    return tag
  }
}
