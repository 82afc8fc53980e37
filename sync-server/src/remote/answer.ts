// The client's answer to a remote link: checked by the core like a tablet's form and written through
// the push path (as the demo seed is), as the sending practitioner's administration, so facts,
// audit and pull all see it. One device id and seq 1 per link: a second answer, even one sent at
// the same moment, is the same operation again and never a second administration.
import { randomUUID } from 'node:crypto'
import { getInstrument, validateItems } from '../../../src/core/index.ts'
import { finalForm } from '../../../src/core/record-builders.ts'
import { PROTOCOL_VERSION } from '../../../src/core/sync-protocol.ts'
import type { PushRequest } from '../../../src/core/sync-schemas.ts'
import { LOCALES, type Locale } from '../../../src/core/types.ts'
import type { AppContext } from '../context.ts'
import { Refusal } from '../refusal.ts'
import { pushBodyProblem } from '../sync/payloads.ts'
import { runPush } from '../sync/push.ts'
import { goneRefusal, type LinkRow } from './links.ts'
import { tokenHash } from './secrets.ts'

/** The administration's language: the link's if Linja has it, else nb (a text pack's language). */
function recordLocale(locale: string): Locale {
  const primary = locale.toLowerCase().split('-')[0] ?? ''
  return (LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : 'nb'
}

export function checkFormToken(link: LinkRow, formToken: string, nowIso: string): void {
  const valid =
    link.form_token_hash !== null &&
    link.form_token_hash === tokenHash(formToken) &&
    link.form_token_expires_at !== null &&
    link.form_token_expires_at > nowIso
  if (!valid) {
    throw new Refusal(401, 'form_token_invalid', 'Give the code again to send the form.')
  }
}

export async function answerLink(
  ctx: AppContext,
  link: LinkRow,
  items: Readonly<Record<string, unknown>>,
  /** The language the client saw (checked by chosenLocale). */
  locale: string = link.locale,
): Promise<void> {
  const checked = validateItems(link.instrument_id, items)
  if (!checked.ok) {
    const codes = [...new Set(checked.errors.map((e) => e.code))].join(', ')
    throw new Refusal(
      400,
      'items_invalid',
      `Every line must be marked once, within the scale (${codes}).`,
    )
  }
  const nowIso = new Date(ctx.now()).toISOString()
  const instrument = getInstrument(link.instrument_id)
  if (!instrument) throw new Refusal(400, 'items_invalid', 'Unknown form.')
  const payload = finalForm({
    id: link.administration_id,
    clientId: link.client_id,
    episodeId: link.episode_id,
    instrumentId: instrument.id,
    instrumentVersion: instrument.version,
    items: checked.items,
    total: checked.total,
    rater: link.rater as (typeof instrument.raters)[number],
    collectedBy: 'remote',
    session: link.session,
    markedAt: nowIso,
    locale: recordLocale(locale),
  })
  const body: PushRequest = {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: link.device_id,
    sentAt: nowIso,
    operations: [
      {
        seq: 1,
        opId: randomUUID(),
        deviceId: link.device_id,
        entity: 'administration',
        op: 'create',
        entityId: link.administration_id,
        createdAt: nowIso,
        payload,
      },
    ],
  }
  const problem = pushBodyProblem(body)
  if (problem) throw new Refusal(400, 'items_invalid', problem.message)
  let applied: boolean
  try {
    // No device key: the link's device id is new and used by nothing else, and no tablet holds it.
    const answer = await runPush(
      ctx,
      { personId: link.person_id, sessionId: `remote-link:${link.id}`, roles: ['practitioner'] },
      body,
    )
    const [result] = answer.results
    if (result?.duplicate) return alreadyAnswered(ctx, link, nowIso)
    applied = result?.status === 'applied'
  } catch (error) {
    // The same seq with other marks: another answer to this link came first.
    if (error instanceof Refusal && error.code === 'seq_reused') {
      return alreadyAnswered(ctx, link, nowIso)
    }
    if (!(error instanceof Refusal) || error.statusCode === 410) throw error
    applied = false
  }
  if (!applied) {
    // The practitioner no longer holds the client (or the episode is gone): the link cannot be used.
    await ctx.db
      .updateTable('remote_links')
      .set({ state: 'revoked', revoked_at: nowIso, sealed_token: null })
      .where('id', '=', link.id)
      .where('state', '=', 'waiting')
      .execute()
    throw goneRefusal('revoked')
  }
  await markCompleted(ctx, link, nowIso)
}

async function markCompleted(ctx: AppContext, link: LinkRow, nowIso: string): Promise<void> {
  await ctx.db
    .updateTable('remote_links')
    .set({
      state: 'completed',
      completed_at: nowIso,
      form_token_hash: null,
      form_token_expires_at: null,
      sealed_token: null,
    })
    .where('id', '=', link.id)
    .where('state', '=', 'waiting')
    .execute()
}

/**
 * The link's form is already on the server (another answer came first). The link is marked
 * completed here too, in case the first answer stopped between its push and its own mark.
 */
async function alreadyAnswered(ctx: AppContext, link: LinkRow, nowIso: string): Promise<never> {
  await markCompleted(ctx, link, nowIso)
  throw goneRefusal('completed')
}
