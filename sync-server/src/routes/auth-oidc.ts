// Sign-in with the municipality's identity provider: start (tablet), callback (provider), one-time exchange (tablet) into a device session.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as client from 'openid-client'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { endIfOver } from '../accounts/leavers.ts'
import { recoverySecretOf } from '../auth/directory-recovery.ts'
import { OidcClient, OidcFailed, type OidcFailure } from '../auth/oidc-client.ts'
import { OIDC_CALLBACK_PATH } from '../auth/oidc-config.ts'
import { personFromClaims, randomCode, sameHash, sha256 } from '../auth/oidc-sign-in.ts'
import { openDeviceSession } from '../auth/sign-in-session.ts'
import type { AppContext } from '../context.ts'
import { Refusal } from '../refusal.ts'
import { CLOSED, errors, Id, SessionReply, Text } from './schemas.ts'

/** From the tablet's start to the provider's return: time to type a password and a second factor. */
const START_TTL_MS = 10 * 60_000
/** The exchange code's life: the browser comes straight back to Linja with it. */
const EXCHANGE_TTL_MS = 60_000
/** A base64url SHA-256 (43 characters) or a 32-byte random value. */
const Base64url43 = Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' })

const StartBody = Type.Object(
  {
    tabletHash: { ...Base64url43, description: 'SHA-256 (base64url) of a secret the tablet keeps' },
  },
  { additionalProperties: false },
)
const StartReply = Type.Object({ authorizationUrl: Type.String() }, CLOSED)
const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2000 })),
    state: Type.Optional(Type.String({ maxLength: 200 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
    iss: Type.Optional(Type.String({ maxLength: 500 })),
    session_state: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
const ExchangeBody = Type.Object(
  {
    code: Base64url43,
    tabletSecret: Base64url43,
    deviceName: Text(1, 100),
    appVersion: Type.Optional(Text(0, 40)),
    deviceId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
const ExchangeReply = Type.Object(
  {
    ...SessionReply.properties,
    /** Wraps the tablet's key as a password does after a local sign-in (a forgotten PIN). */
    recoverySecret: Type.String(),
  },
  CLOSED,
)
const Status = Type.Object({ enabled: Type.Boolean() }, CLOSED)

export async function authOidcRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const config = ctx.config.oidc
  const provider = config ? new OidcClient(config) : null
  const limit = { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } }

  app.get(
    '/api/auth/oidc',
    {
      schema: {
        summary: "Whether sign-in with the municipality's account is offered here",
        response: { 200: Status },
      },
    },
    async () => ({ enabled: provider !== null }),
  )

  const notConfigured = () =>
    new Refusal(
      404,
      'oidc_not_configured',
      "Sign-in with the municipality's account is not set up here.",
    )

  app.post(
    '/api/auth/oidc/start',
    {
      schema: {
        summary: "Start a sign-in with the municipality's account: the provider's address to open",
        body: StartBody,
        response: { 200: StartReply, 503: errors[400], ...errors },
      },
      config: limit,
    },
    async (request: FastifyRequest<{ Body: Static<typeof StartBody> }>) => {
      if (!provider) throw notConfigured()
      const nowMs = ctx.now()
      // Sign-ins nobody finished are forgotten after an hour.
      await db
        .deleteFrom('oidc_sign_ins')
        .where('created_at', '<', new Date(nowMs - 3_600_000).toISOString())
        .execute()
      const checks = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
      }
      const url = await provider.authorizationUrl(checks)
      await db
        .insertInto('oidc_sign_ins')
        .values({
          state: checks.state,
          tablet_hash: request.body.tabletHash,
          code_verifier: checks.verifier,
          nonce: checks.nonce,
          created_at: new Date(nowMs).toISOString(),
        })
        .execute()
      return { authorizationUrl: url.href }
    },
  )

  /** Back to the app's account page; the outcome in the #fragment, which no server or log sees. */
  const backToApp = (reply: FastifyReply, fragment: string) =>
    reply
      .code(303)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .redirect(`${config?.appBaseUrl ?? ''}/account#${fragment}`, 303)

  app.get(
    OIDC_CALLBACK_PATH,
    {
      schema: {
        summary: 'Where the provider sends the browser back; answers with a redirect to the app',
        querystring: CallbackQuery,
        response: { 303: Type.Null(), ...errors },
      },
      config: limit,
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof CallbackQuery> }>, reply) => {
      if (!provider || !config) throw notConfigured()
      const failed = (reason: OidcFailure) => backToApp(reply, `oidc-error=${reason}`)
      const state = request.query.state ?? ''
      const nowMs = ctx.now()
      // The state is taken once: a second return (a replayed callback) finds it used.
      const taken = await db
        .updateTable('oidc_sign_ins')
        .set({ returned_at: new Date(nowMs).toISOString() })
        .where('state', '=', state)
        .where('returned_at', 'is', null)
        .where('created_at', '>', new Date(nowMs - START_TTL_MS).toISOString())
        .executeTakeFirst()
      const row =
        Number(taken.numUpdatedRows) === 1
          ? await db
              .selectFrom('oidc_sign_ins')
              .selectAll()
              .where('state', '=', state)
              .executeTakeFirst()
          : undefined
      if (!row) {
        await audit(db, {
          actorId: null,
          action: 'login_refused',
          target: null,
          ip: request.ip,
          details: { method: 'oidc', reason: 'sign_in_expired' },
        })
        request.log.info(
          { oidc: 'sign_in_expired' },
          'identity provider return without a live sign-in',
        )
        return failed('sign_in_expired')
      }
      const callback = new URL(config.redirectUri)
      for (const [k, v] of Object.entries(request.query))
        if (v !== undefined) callback.searchParams.set(k, v)
      try {
        const claims = await provider.exchange(callback, {
          state: row.state,
          nonce: row.nonce,
          verifier: row.code_verifier,
        })
        const personId = await personFromClaims(db, config, claims, request.ip)
        const code = randomCode()
        await db
          .updateTable('oidc_sign_ins')
          .set({
            person_id: personId,
            exchange_hash: sha256(code),
            exchange_expires_at: new Date(ctx.now() + EXCHANGE_TTL_MS).toISOString(),
            code_verifier: '',
            nonce: '',
          })
          .where('state', '=', row.state)
          .execute()
        return backToApp(reply, `oidc=${code}`)
      } catch (error) {
        if (!(error instanceof OidcFailed)) throw error
        request.log.warn({ oidc: error.reason }, 'sign-in with the identity provider failed')
        // A refused person is audited where the reason is known (personFromClaims).
        if (!['no_access', 'groups_overage', 'account_deactivated'].includes(error.reason))
          await audit(db, {
            actorId: null,
            action: 'login_refused',
            target: null,
            ip: request.ip,
            details: { method: 'oidc', reason: error.reason },
          })
        return failed(error.reason)
      }
    },
  )

  app.post(
    '/api/auth/oidc/exchange',
    {
      schema: {
        summary: 'The tablet trades its one-time code (and its secret) for a device session',
        body: ExchangeBody,
        response: { 200: ExchangeReply, ...errors },
      },
      config: limit,
    },
    async (request: FastifyRequest<{ Body: Static<typeof ExchangeBody> }>) => {
      if (!provider) throw notConfigured()
      const { code, tabletSecret } = request.body
      const hash = sha256(code)
      const nowIso = new Date(ctx.now()).toISOString()
      const invalid = new Refusal(
        400,
        'oidc_exchange_invalid',
        'This sign-in has expired or was already used: sign in again.',
      )
      const row = await db
        .selectFrom('oidc_sign_ins')
        .selectAll()
        .where('exchange_hash', '=', hash)
        .executeTakeFirst()
      if (!row || row.person_id === null) throw invalid
      // Single use, whatever comes next: a wrong tablet secret burns the code too.
      const burnt = await db
        .updateTable('oidc_sign_ins')
        .set({ exchange_hash: null })
        .where('state', '=', row.state)
        .where('exchange_hash', '=', hash)
        .executeTakeFirst()
      if (Number(burnt.numUpdatedRows) !== 1) throw invalid
      if ((row.exchange_expires_at ?? '') <= nowIso) throw invalid
      if (!sameHash(sha256(tabletSecret), row.tablet_hash)) throw invalid
      const person = await db
        .selectFrom('people')
        .select(['id', 'active', 'access_ends_at'])
        .where('id', '=', row.person_id)
        .executeTakeFirst()
      // A leaver whose last day is over cannot sign in again, even before the sweep has run.
      if (!person || person.active !== 1 || (await endIfOver(db, person, ctx.now())))
        throw new Refusal(401, 'account_deactivated', 'This account is deactivated.')
      const session = await openDeviceSession(ctx, row.person_id, request.body, request.ip, 'oidc')
      return {
        ...session,
        recoverySecret: await recoverySecretOf(db, ctx.secretsKey, row.person_id),
      }
    },
  )
}
