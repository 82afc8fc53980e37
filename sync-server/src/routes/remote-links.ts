// The practitioner's remote links: send one for a client's form, list a client's links, revoke one,
// send its one reminder. Only practitioners who hold the client (as a push would check).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import {
  CreatedRemoteLink,
  CreateRemoteLinkBody,
  DeliveryAddress,
  RemoteChannels,
  RemoteLinkView,
} from '../../../src/core/remote-links.ts'
import { audit } from '../accounts/audit.ts'
import { open } from '../auth/secrets-key.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { createLink, linkUrl } from '../remote/create.ts'
import {
  linkForPractitioner,
  linkView,
  linkViews,
  organisationName,
  requireClientAccess,
  stateOf,
} from '../remote/links.ts'
import { composeMessage } from '../remote/messages.ts'
import { queueDelivery } from '../remote/outbox.ts'
import { CLOSED, errors, Id, IdParams } from './schemas.ts'

const ListQuery = Type.Object({ clientId: Id }, CLOSED)
const LinkReply = Type.Object({ link: RemoteLinkView }, CLOSED)
const ListReply = Type.Object({ links: Type.Array(RemoteLinkView) }, CLOSED)
const RemindBody = Type.Object({ to: DeliveryAddress }, CLOSED)

export async function remoteLinkRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const practitioner = authenticate(ctx, ['practitioner'])
  const nowIso = () => new Date(ctx.now()).toISOString()

  app.get(
    '/api/remote-links/channels',
    {
      schema: {
        summary:
          'Which ways of sending a remote link this server has set up (showing it always works)',
        response: { 200: RemoteChannels, ...errors },
      },
      preHandler: practitioner,
    },
    async () => ({ email: ctx.config.smtp !== null, sms: ctx.config.sms !== null }),
  )

  app.post(
    '/api/remote-links',
    {
      schema: {
        summary:
          'A remote link for one client’s form: url, short code and code are given once, here',
        body: CreateRemoteLinkBody,
        response: { 201: CreatedRemoteLink, ...errors },
      },
      preHandler: practitioner,
    },
    async (request: FastifyRequest<{ Body: Static<typeof CreateRemoteLinkBody> }>, reply) => {
      const base = `${request.protocol}://${request.host}`
      const created = await createLink(ctx, callerOf(request).personId, request.body, {
        base,
        ip: request.ip,
      })
      return reply.code(201).send(created)
    },
  )

  app.get(
    '/api/remote-links',
    {
      schema: {
        summary: 'A client’s remote links, newest first',
        querystring: ListQuery,
        response: { 200: ListReply, ...errors },
      },
      preHandler: practitioner,
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof ListQuery> }>) => {
      const { clientId } = request.query
      await requireClientAccess(db, clientId, callerOf(request).personId)
      const rows = await db
        .selectFrom('remote_links')
        .selectAll()
        .where('client_id', '=', clientId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute()
      return { links: await linkViews(db, rows, nowIso()) }
    },
  )

  app.post(
    '/api/remote-links/:id/revoke',
    {
      schema: {
        summary: 'Ends a waiting link: the page then says so, and nothing can be sent with it',
        params: IdParams,
        response: { 200: LinkReply, ...errors },
      },
      preHandler: practitioner,
    },
    async (request: FastifyRequest<{ Params: Static<typeof IdParams> }>) => {
      const link = await linkForPractitioner(db, request.params.id, callerOf(request).personId)
      const at = nowIso()
      const result = await db
        .updateTable('remote_links')
        .set({ state: 'revoked', revoked_at: at, sealed_token: null, form_token_hash: null })
        .where('id', '=', link.id)
        .where('state', '=', 'waiting')
        .where('expires_at', '>', at)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) {
        throw new Refusal(
          409,
          'link_not_waiting',
          'Only a link still waiting for its answer can be revoked.',
        )
      }
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'remote_link_revoked',
        target: link.client_id,
        ip: request.ip,
        details: { linkId: link.id },
      })
      const row = await db
        .selectFrom('remote_links')
        .selectAll()
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow()
      return { link: await linkView(db, row, at) }
    },
  )

  app.post(
    '/api/remote-links/:id/remind',
    {
      schema: {
        summary: 'Sends a waiting link once more to the address given again (it is never kept)',
        params: IdParams,
        body: RemindBody,
        response: { 200: LinkReply, ...errors },
      },
      preHandler: practitioner,
    },
    async (
      request: FastifyRequest<{ Params: Static<typeof IdParams>; Body: Static<typeof RemindBody> }>,
    ) => {
      const link = await linkForPractitioner(db, request.params.id, callerOf(request).personId)
      const at = nowIso()
      if (link.channel === 'show') {
        throw new Refusal(
          409,
          'reminder_not_possible',
          'A link shown on the screen was not sent, so it has no reminder.',
        )
      }
      if (stateOf(link, at) !== 'waiting') {
        throw new Refusal(
          409,
          'link_not_waiting',
          'Only a link still waiting for its answer can be reminded of.',
        )
      }
      if (link.reminder_sent_at !== null || link.sealed_token === null) {
        throw new Refusal(409, 'reminder_already_sent', 'This link has had its one reminder.')
      }
      const channel = link.channel as 'email' | 'sms'
      const { to } = request.body
      const valid =
        channel === 'email'
          ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to)
          : /^\+?[0-9][0-9 ]{6,18}[0-9]$/.test(to)
      if (!valid) {
        throw new Refusal(
          400,
          'delivery_invalid',
          channel === 'email' ? 'This is not an e-mail address.' : 'This is not a phone number.',
        )
      }
      const claimed = await db
        .updateTable('remote_links')
        .set({ reminder_sent_at: at, sealed_token: null })
        .where('id', '=', link.id)
        .where('reminder_sent_at', 'is', null)
        .executeTakeFirst()
      if (Number(claimed.numUpdatedRows) !== 1) {
        throw new Refusal(409, 'reminder_already_sent', 'This link has had its one reminder.')
      }
      const token = open(ctx.secretsKey, link.sealed_token, `remote-link:${link.id}`)
      const { unitId } = await requireClientAccess(db, link.client_id, link.person_id).catch(
        () => ({ unitId: null }),
      )
      const base = ctx.config.publicUrl ?? `${request.protocol}://${request.host}`
      const message = composeMessage('reminder', link.locale, {
        organisation: await organisationName(db, unitId),
        url: linkUrl(base, token),
        code: '',
        expiresAt: link.expires_at,
        codeByMessage: false,
      })
      await queueDelivery(
        db,
        ctx.secretsKey,
        { linkId: link.id, kind: 'reminder', channel, to, message },
        at,
      )
      ctx.remoteOutbox.kick()
      const row = await db
        .selectFrom('remote_links')
        .selectAll()
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow()
      return { link: await linkView(db, row, at) }
    },
  )
}
