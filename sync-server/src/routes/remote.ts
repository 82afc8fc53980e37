// The client's side of a remote link, without sign-in: is the link usable, open it with the code,
// send the answer. The token comes in the body (the page has it from the URL's fragment), never in
// a path or query a log could keep. Limited per address; each link ends after REMOTE_CODE_ATTEMPTS
// wrong codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import { REMOTE_CODE_ATTEMPTS } from '../../../src/core/remote-link-codes.ts'
import {
  RemoteAnswerBody,
  RemoteAnswerReply,
  RemoteFormBody,
  RemoteFormReply,
  RemoteOpenBody,
  RemoteOpenReply,
  RemoteStatusBody,
  RemoteStatusReply,
} from '../../../src/core/remote-links.ts'
import type { AppContext } from '../context.ts'
import { Refusal } from '../refusal.ts'
import { answerLink, checkFormToken } from '../remote/answer.ts'
import { chosenLocale, remoteForm } from '../remote/form.ts'
import { goneRefusal, organisationName, waitingLink } from '../remote/links.ts'
import { codeMatches, newToken, shortCodeHash, tokenHash } from '../remote/secrets.ts'
import { ErrorReply, errors } from './schemas.ts'

/** Requests per minute per address on each public route. */
export const REMOTE_RATE_LIMIT = 30
/** Requests per minute for one link, from any address. */
export const REMOTE_LINK_RATE_LIMIT = 20

/**
 * The key of the link a body names, by what the client holds: its token or its short code (as
 * hashed, so the token is kept nowhere, not even here). Guessing is done with short codes; a
 * token cannot be guessed.
 */
function linkKey(body: unknown): string {
  const { token, shortCode } = (body ?? {}) as { token?: unknown; shortCode?: unknown }
  if (typeof token === 'string') return `remote-link:${tokenHash(token)}`
  if (typeof shortCode === 'string') return `remote-link:${shortCodeHash(shortCode)}`
  return 'remote-link:none'
}

/** A public body is a token, a code and at most 20 marks: far less than the API's 1 MiB. */
const PUBLIC_BODY_LIMIT = 8 * 1024
/** How long a form may stay open after the code, at most (never past the link's expiry). */
const FORM_TOKEN_MS = 2 * 3_600_000

export async function remoteRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const limit = { rateLimit: { max: REMOTE_RATE_LIMIT, timeWindow: '1 minute' } }
  // Per link as well, whatever the address (one counter for the three routes, per instance; the
  // wrong-code lock is counted in the database). The plugin runs one limit per request (the
  // per-address one above), so this one is checked here.
  const linkLimit = app.createRateLimit({
    max: REMOTE_LINK_RATE_LIMIT,
    timeWindow: '1 minute',
    keyGenerator: (request) => linkKey(request.body),
  })
  const perLink = async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await linkLimit(request)
    if (!result.isAllowed && result.isExceeded) {
      reply.header('retry-after', result.ttlInSeconds)
      throw new Refusal(
        429,
        'rate_limited',
        `Too many requests for this link: try again in ${result.ttlInSeconds} seconds.`,
      )
    }
  }
  const publicErrors = { ...errors, 410: ErrorReply }
  const nowIso = () => new Date(ctx.now()).toISOString()

  app.post<{ Body: Static<typeof RemoteStatusBody> }>(
    '/api/remote/status',
    {
      schema: {
        summary:
          'Whether a remote link can be used (no sign-in): its organisation, expiry and language',
        body: RemoteStatusBody,
        response: { 200: RemoteStatusReply, ...publicErrors },
      },
      config: limit,
      bodyLimit: PUBLIC_BODY_LIMIT,
      preHandler: perLink,
    },
    async (request: FastifyRequest<{ Body: Static<typeof RemoteStatusBody> }>) => {
      const link = await waitingLink(db, request.body, nowIso())
      const client = await db
        .selectFrom('records')
        .select('unit_id')
        .where('id', '=', link.client_id)
        .executeTakeFirst()
      return {
        state: 'waiting' as const,
        organisation: await organisationName(db, client?.unit_id ?? null),
        expiresAt: link.expires_at,
        locale: link.locale,
      }
    },
  )

  app.post<{ Body: Static<typeof RemoteOpenBody> }>(
    '/api/remote/open',
    {
      schema: {
        summary: 'Opens a remote link with its six-digit code (no sign-in): the form to show',
        body: RemoteOpenBody,
        response: { 200: RemoteOpenReply, ...publicErrors },
      },
      config: limit,
      bodyLimit: PUBLIC_BODY_LIMIT,
      preHandler: perLink,
    },
    async (request: FastifyRequest<{ Body: Static<typeof RemoteOpenBody> }>) => {
      const now = ctx.now()
      const at = new Date(now).toISOString()
      const link = await waitingLink(db, request.body, at)
      const locale = chosenLocale(link, request.body.locale)
      if (!codeMatches(ctx.secretsKey, link.code_salt, link.code_hash, request.body.code)) {
        await db
          .updateTable('remote_links')
          .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
          .where('id', '=', link.id)
          .where('state', '=', 'waiting')
          .execute()
        const { attempts } = await db
          .selectFrom('remote_links')
          .select('attempts')
          .where('id', '=', link.id)
          .executeTakeFirstOrThrow()
        if (attempts >= REMOTE_CODE_ATTEMPTS) {
          await db
            .updateTable('remote_links')
            .set({ state: 'locked', sealed_token: null, form_token_hash: null })
            .where('id', '=', link.id)
            .where('state', '=', 'waiting')
            .execute()
          throw goneRefusal('locked')
        }
        throw new Refusal(401, 'code_wrong', 'The code is not right.', {
          attemptsLeft: REMOTE_CODE_ATTEMPTS - attempts,
        })
      }
      const formToken = newToken()
      const expiresAt = new Date(
        Math.min(now + FORM_TOKEN_MS, Date.parse(link.expires_at)),
      ).toISOString()
      await db
        .updateTable('remote_links')
        .set({ form_token_hash: tokenHash(formToken), form_token_expires_at: expiresAt })
        .where('id', '=', link.id)
        .execute()
      return { formToken, expiresAt, form: await remoteForm(db, link, locale) }
    },
  )

  app.post<{ Body: Static<typeof RemoteFormBody> }>(
    '/api/remote/form',
    {
      schema: {
        summary:
          'The opened form again in the language the client chose (no sign-in; the form token, not the code)',
        body: RemoteFormBody,
        response: { 200: RemoteFormReply, ...publicErrors },
      },
      config: limit,
      bodyLimit: PUBLIC_BODY_LIMIT,
      preHandler: perLink,
    },
    async (request: FastifyRequest<{ Body: Static<typeof RemoteFormBody> }>) => {
      const at = nowIso()
      const link = await waitingLink(db, request.body, at)
      checkFormToken(link, request.body.formToken, at)
      return { form: await remoteForm(db, link, chosenLocale(link, request.body.locale)) }
    },
  )

  app.post<{ Body: Static<typeof RemoteAnswerBody> }>(
    '/api/remote/answer',
    {
      schema: {
        summary: 'Sends the marks of an opened remote form (no sign-in); a link takes one answer',
        body: RemoteAnswerBody,
        response: { 201: RemoteAnswerReply, ...publicErrors },
      },
      config: limit,
      bodyLimit: PUBLIC_BODY_LIMIT,
      preHandler: perLink,
    },
    async (request: FastifyRequest<{ Body: Static<typeof RemoteAnswerBody> }>, reply) => {
      const at = nowIso()
      const link = await waitingLink(db, request.body, at)
      checkFormToken(link, request.body.formToken, at)
      await answerLink(ctx, link, request.body.items, chosenLocale(link, request.body.locale))
      return reply.code(201).send({ state: 'completed' as const })
    },
  )
}
