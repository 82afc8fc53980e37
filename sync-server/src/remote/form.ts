// The form a remote link shows: the same instrument definition and active text pack a tablet uses.
import type { Kysely } from 'kysely'
import { getInstrument } from '../../../src/core/index.ts'
import type { RemoteForm } from '../../../src/core/remote-links.ts'
import { resolveTexts, type TextPack } from '../../../src/core/text-pack.ts'
import { LOCALES } from '../../../src/core/types.ts'
import type { Database } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import type { LinkRow } from './links.ts'

/**
 * The language the client chose on the page, checked: nb, nn, en or the link's own (a text pack's
 * language the practitioner chose); absent means the link's.
 */
export function chosenLocale(link: LinkRow, locale: string | undefined): string {
  if (locale === undefined || locale === link.locale) return link.locale
  if ((LOCALES as readonly string[]).includes(locale)) return locale
  throw new Refusal(
    400,
    'locale_not_offered',
    'This form is offered in Norwegian (bokmål, nynorsk), English and the language it was sent in.',
  )
}

export async function remoteForm(
  db: Kysely<Database>,
  link: LinkRow,
  locale: string = link.locale,
): Promise<RemoteForm> {
  const instrument = getInstrument(link.instrument_id)
  if (!instrument) throw new Error('a link to an unknown instrument')
  const active = await db
    .selectFrom('text_packs')
    .select('pack')
    .where('active', '=', 1)
    .executeTakeFirst()
  const pack = active ? (JSON.parse(active.pack) as TextPack) : null
  const texts = resolveTexts(instrument.id, locale, pack)
  return {
    instrumentId: instrument.id,
    instrumentVersion: instrument.version,
    locale: texts.language,
    rater: link.rater as RemoteForm['rater'],
    title: texts.title,
    instructions: texts.instructions,
    items: instrument.items.map((item) => ({
      id: item.id,
      label: texts.items[item.id] ?? item.id,
      lowAnchor: texts.endLabels.low,
      highAnchor: texts.endLabels.high,
    })),
    faces: instrument.faces,
  }
}
