// Making a remote link: the checks (the caller's client, an episode still open, a rater the form
// allows, a channel that is set up), the hashed secrets, and the messages queued for sending.
import { randomUUID } from 'node:crypto'
import { getInstrument } from '../../../src/core/index.ts'
import { formatShortCode, REMOTE_LINK_HOURS } from '../../../src/core/remote-link-codes.ts'
import type { CreatedRemoteLink, CreateRemoteLinkBody } from '../../../src/core/remote-links.ts'
import { audit } from '../accounts/audit.ts'
import { readSettings } from '../accounts/settings.ts'
import { seal } from '../auth/secrets-key.ts'
import type { AppContext } from '../context.ts'
import { Refusal } from '../refusal.ts'
import { linkView, organisationName, requireClientAccess } from './links.ts'
import { composeMessage } from './messages.ts'
import { queueDelivery } from './outbox.ts'
import {
  codeHash,
  newCode,
  newSalt,
  newShortCode,
  newToken,
  shortCodeHash,
  tokenHash,
} from './secrets.ts'

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/
const PHONE = /^\+?[0-9][0-9 ]{6,18}[0-9]$/

/** The page's address: the token only in the fragment, which no server, proxy or Referer sees. */
export function linkUrl(base: string, token: string): string {
  return `${base}/r/#${token}`
}

function checkDelivery(ctx: AppContext, delivery: CreateRemoteLinkBody['delivery']): void {
  const bad = (message: string) => new Refusal(400, 'delivery_invalid', message)
  const { channel, to, code } = delivery
  if (channel === 'show') {
    if (to !== undefined)
      throw bad('A link shown on the screen is sent to no address: leave out "to".')
    if (code === 'message')
      throw bad('A link shown on the screen has no message to carry the code.')
    return
  }
  if (to === undefined) throw bad(`Sending by ${channel} needs the address ("to").`)
  if (channel === 'email' && !EMAIL.test(to)) throw bad('This is not an e-mail address.')
  if (channel === 'sms' && !PHONE.test(to)) throw bad('This is not a phone number.')
  const configured = channel === 'email' ? ctx.config.smtp : ctx.config.sms
  if (configured === null) {
    throw new Refusal(409, 'channel_off', `Sending by ${channel} is not set up on this server.`)
  }
}

async function checkEpisode(ctx: AppContext, body: CreateRemoteLinkBody): Promise<void> {
  const episode = await ctx.db
    .selectFrom('records')
    .select('payload')
    .where('id', '=', body.episodeId)
    .where('entity', '=', 'episode')
    .where('client_id', '=', body.clientId)
    .executeTakeFirst()
  if (!episode) throw new Refusal(404, 'episode_unknown', 'This client has no such episode.')
  const { endedAt } = JSON.parse(episode.payload) as { endedAt: string | null }
  if (endedAt !== null) {
    throw new Refusal(
      409,
      'episode_ended',
      'This episode has ended: reopen it or start a new one first.',
    )
  }
}

export async function createLink(
  ctx: AppContext,
  personId: string,
  body: CreateRemoteLinkBody,
  request: { base: string; ip: string },
): Promise<CreatedRemoteLink> {
  const { ip } = request
  const { db } = ctx
  const { unitId } = await requireClientAccess(db, body.clientId, personId)
  await checkEpisode(ctx, body)
  if (!getInstrument(body.instrumentId).raters.includes(body.rater)) {
    throw new Refusal(
      400,
      'rater_not_allowed',
      `${body.instrumentId} is not rated by ${body.rater}.`,
    )
  }
  checkDelivery(ctx, body.delivery)
  const { channel } = body.delivery
  // E-mail and SMS carry PUBLIC_URL (checked at start); a link shown on the tablet uses its address.
  const base = ctx.config.publicUrl ?? request.base
  const settings = await readSettings(db)
  const hours = settings.remoteLinkHours ?? REMOTE_LINK_HOURS.default
  const now = ctx.now()
  const nowIso = new Date(now).toISOString()
  const expiresAt = new Date(now + hours * 3_600_000).toISOString()
  const id = randomUUID()
  const token = newToken()
  const shortCode = newShortCode()
  const code = newCode()
  const salt = newSalt()
  const sent = channel !== 'show'
  await db
    .insertInto('remote_links')
    .values({
      id,
      token_hash: tokenHash(token),
      short_code_hash: shortCodeHash(shortCode),
      code_salt: salt,
      code_hash: codeHash(ctx.secretsKey, salt, code),
      attempts: 0,
      state: 'waiting',
      person_id: personId,
      client_id: body.clientId,
      episode_id: body.episodeId,
      session: body.session,
      instrument_id: body.instrumentId,
      rater: body.rater,
      locale: body.locale,
      channel,
      administration_id: randomUUID(),
      device_id: randomUUID(),
      // Kept (sealed) only for the one reminder a sent link may get.
      sealed_token: sent ? seal(ctx.secretsKey, token, `remote-link:${id}`) : null,
      form_token_hash: null,
      form_token_expires_at: null,
      created_at: nowIso,
      expires_at: expiresAt,
      completed_at: null,
      revoked_at: null,
      reminder_sent_at: null,
    })
    .execute()
  const url = linkUrl(base, token)
  if (channel !== 'show' && body.delivery.to !== undefined) {
    const facts = {
      organisation: await organisationName(db, unitId),
      url,
      code,
      expiresAt,
      codeByMessage: body.delivery.code === 'message',
    }
    const to = body.delivery.to
    await queueDelivery(
      db,
      ctx.secretsKey,
      {
        linkId: id,
        kind: 'link',
        channel,
        to,
        message: composeMessage('link', body.locale, facts),
      },
      nowIso,
    )
    if (facts.codeByMessage) {
      await queueDelivery(
        db,
        ctx.secretsKey,
        {
          linkId: id,
          kind: 'code',
          channel,
          to,
          message: composeMessage('code', body.locale, facts),
        },
        nowIso,
      )
    }
    ctx.remoteOutbox.kick()
  }
  // Who sent which form for which client, how: never the address.
  await audit(db, {
    actorId: personId,
    action: 'remote_link_sent',
    target: body.clientId,
    ip,
    details: { linkId: id, channel, instrumentId: body.instrumentId, codeBy: body.delivery.code },
  })
  const row = await db
    .selectFrom('remote_links')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return { link: await linkView(db, row, nowIso), url, shortCode: formatShortCode(shortCode), code }
}
