// The form a remote link shows: the same instrument definition and active text pack a tablet uses.
import type { Kysely } from 'kysely'
import { getInstrument } from '../../../src/core/index.ts'
import type { RemoteForm } from '../../../src/core/remote-links.ts'
import { resolveTexts, type TextPack } from '../../../src/core/text-pack.ts'
import type { Database } from '../db/schema.ts'
import type { LinkRow } from './links.ts'

export async function remoteForm(db: Kysely<Database>, link: LinkRow): Promise<RemoteForm> {
  const instrument = getInstrument(link.instrument_id)
  if (!instrument) throw new Error('a link to an unknown instrument')
  const active = await db
    .selectFrom('text_packs')
    .select('pack')
    .where('active', '=', 1)
    .executeTakeFirst()
  const pack = active ? (JSON.parse(active.pack) as TextPack) : null
  const texts = resolveTexts(instrument.id, link.locale, pack)
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
