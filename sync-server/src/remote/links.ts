// Remote links in `remote_links` and their messages in `remote_deliveries`: how a row reads as the
// practitioner's view, who may act on a client's links, and finding a link by what the client holds.
import type { Kysely, Selectable } from 'kysely'
import { DELIVERY_KINDS, type RemoteLinkState } from '../../../src/core/remote-link-codes.ts'
import type { DeliveryView, RemoteLinkView } from '../../../src/core/remote-links.ts'
import type { Database, RemoteDeliveriesTable, RemoteLinksTable } from '../db/schema.ts'
import { Refusal } from '../refusal.ts'
import { shortCodeHash, tokenHash } from './secrets.ts'

export type LinkRow = Selectable<RemoteLinksTable>
type DeliveryRow = Selectable<RemoteDeliveriesTable>

/** 'expired' is not stored: a waiting link past its time reads as expired. */
export function stateOf(
  row: Pick<LinkRow, 'state' | 'expires_at'>,
  nowIso: string,
): RemoteLinkState {
  if (row.state === 'waiting' && row.expires_at <= nowIso) return 'expired'
  return row.state as RemoteLinkState
}

function deliveryView(row: DeliveryRow): DeliveryView {
  return {
    kind: row.kind as DeliveryView['kind'],
    status: row.status as DeliveryView['status'],
    attempts: row.attempts,
    lastError: row.last_error,
    at: row.updated_at,
  }
}

export async function linkViews(
  db: Kysely<Database>,
  rows: readonly LinkRow[],
  nowIso: string,
): Promise<RemoteLinkView[]> {
  if (rows.length === 0) return []
  const deliveries = await db
    .selectFrom('remote_deliveries')
    .selectAll()
    .where(
      'link_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .execute()
  // Queued together, the link goes before its code: in the order of DELIVERY_KINDS.
  const rank = (kind: string) => DELIVERY_KINDS.indexOf(kind as DeliveryView['kind'])
  deliveries.sort((a, b) => a.created_at.localeCompare(b.created_at) || rank(a.kind) - rank(b.kind))
  return rows.map((row) => {
    const state = stateOf(row, nowIso)
    return {
      id: row.id,
      clientId: row.client_id,
      episodeId: row.episode_id,
      session: row.session,
      instrumentId: row.instrument_id as RemoteLinkView['instrumentId'],
      rater: row.rater as RemoteLinkView['rater'],
      locale: row.locale,
      channel: row.channel as RemoteLinkView['channel'],
      state,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      completedAt: row.completed_at,
      administrationId: state === 'completed' ? row.administration_id : null,
      reminderSentAt: row.reminder_sent_at,
      deliveries: deliveries.filter((d) => d.link_id === row.id).map(deliveryView),
    }
  })
}

export async function linkView(
  db: Kysely<Database>,
  row: LinkRow,
  nowIso: string,
): Promise<RemoteLinkView> {
  const [view] = await linkViews(db, [row], nowIso)
  if (!view) throw new Error('a link without its view')
  return view
}

const notYours = () =>
  new Refusal(404, 'client_unknown', 'There is no such client among the clients you work with.')

/**
 * Refuses (404 client_unknown) a caller who may not write the client's records: the same rule as
 * a push (client_access), and the same answer as a client that does not exist (S19).
 */
export async function requireClientAccess(
  db: Kysely<Database>,
  clientId: string,
  personId: string,
): Promise<{ unitId: string | null }> {
  const row = await db
    .selectFrom('client_access')
    .innerJoin('records', 'records.id', 'client_access.client_id')
    .select('records.unit_id')
    .where('client_access.client_id', '=', clientId)
    .where('client_access.person_id', '=', personId)
    .where('records.entity', '=', 'client')
    .executeTakeFirst()
  if (!row) throw notYours()
  return { unitId: row.unit_id }
}

/** The link by id, if the caller may act on its client; else the answer of a link that does not exist. */
export async function linkForPractitioner(
  db: Kysely<Database>,
  id: string,
  personId: string,
): Promise<LinkRow> {
  const row = await db
    .selectFrom('remote_links')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  const unknown = new Refusal(404, 'link_unknown', 'There is no such link.')
  if (!row) throw unknown
  try {
    await requireClientAccess(db, row.client_id, personId)
  } catch {
    throw unknown
  }
  return row
}

/** The organisation the client's unit belongs to (the only name a message carries). */
export async function organisationName(
  db: Kysely<Database>,
  unitId: string | null,
): Promise<string> {
  const viaUnit =
    unitId === null
      ? undefined
      : await db
          .selectFrom('units')
          .innerJoin('organisations', 'organisations.id', 'units.organisation_id')
          .select('organisations.name')
          .where('units.id', '=', unitId)
          .executeTakeFirst()
  if (viaUnit) return viaUnit.name
  const first = await db
    .selectFrom('organisations')
    .select('name')
    .orderBy('created_at')
    .executeTakeFirst()
  return first?.name ?? 'Linja'
}

const GONE: Record<Exclude<RemoteLinkState, 'waiting'>, [string, string]> = {
  expired: ['link_expired', 'This link has expired. Ask the person who sent it for a new one.'],
  completed: ['link_used', 'This form has already been sent. Thank you.'],
  revoked: [
    'link_revoked',
    'This link is no longer in use. Ask the person who sent it for a new one.',
  ],
  locked: [
    'link_locked',
    'Too many wrong codes: this link is closed. Ask the person who sent it for a new one.',
  ],
}

/** 410 with the state's stable code. */
export function goneRefusal(state: Exclude<RemoteLinkState, 'waiting'>): Refusal {
  const [code, message] = GONE[state]
  return new Refusal(410, code, message)
}

/**
 * The link a public request names by its token or its short code (exactly one), refusing 404
 * link_unknown or 410 when it can no longer be used.
 */
export async function waitingLink(
  db: Kysely<Database>,
  ref: { token?: string | undefined; shortCode?: string | undefined },
  nowIso: string,
): Promise<LinkRow> {
  if ((ref.token === undefined) === (ref.shortCode === undefined)) {
    throw new Refusal(400, 'link_missing', 'Give the link’s token or its short code (one of them).')
  }
  const query = db.selectFrom('remote_links').selectAll()
  const row = await (ref.token !== undefined
    ? query.where('token_hash', '=', tokenHash(ref.token))
    : query.where('short_code_hash', '=', shortCodeHash(ref.shortCode ?? ''))
  ).executeTakeFirst()
  if (!row) {
    throw new Refusal(
      404,
      'link_unknown',
      'This link is not known. Check that it was copied whole.',
    )
  }
  const state = stateOf(row, nowIso)
  if (state !== 'waiting') throw goneRefusal(state)
  // The answer becomes the sender's record: a sender who has left, or no longer holds the client
  // (handed over), cannot take it, so the client is told before filling anything in.
  const sender = await db
    .selectFrom('client_access')
    .innerJoin('people', 'people.id', 'client_access.person_id')
    .select('people.active')
    .where('client_access.client_id', '=', row.client_id)
    .where('client_access.person_id', '=', row.person_id)
    .executeTakeFirst()
  if (sender?.active !== 1) throw goneRefusal('revoked')
  // A form for an episode the practitioner has since ended (or that is gone) has no session to
  // belong to: the link is revoked, so the practitioner's list says so too.
  const episode = await db
    .selectFrom('records')
    .select('payload')
    .where('id', '=', row.episode_id)
    .where('entity', '=', 'episode')
    .where('client_id', '=', row.client_id)
    .executeTakeFirst()
  if (!episode || (JSON.parse(episode.payload) as { endedAt: string | null }).endedAt !== null) {
    await db
      .updateTable('remote_links')
      .set({ state: 'revoked', revoked_at: nowIso, sealed_token: null })
      .where('id', '=', row.id)
      .where('state', '=', 'waiting')
      .execute()
    throw goneRefusal('revoked')
  }
  return row
}
