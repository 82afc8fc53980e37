// Login, token refresh, logout and password change; each login makes a revocable device session (after the second factor, when one is needed: auth-two-factor.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { endIfOver } from '../accounts/leavers.ts'
import { secondFactorNeeded } from '../accounts/two-factor.ts'
import { endOtherSessions, refreshDeviceSession } from '../auth/device-sessions.ts'
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords.ts'
import { startPendingSignIn } from '../auth/pending-sign-ins.ts'
import { accessTokenFor, openDeviceSession, personReply } from '../auth/sign-in-session.ts'
import { LoginThrottle } from '../auth/throttle.ts'
import { hashRefreshToken } from '../auth/tokens.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import {
  errors,
  Id,
  NewPassword,
  Password,
  SecondFactorStep,
  SessionReply,
  Text,
  Username,
} from './schemas.ts'

const LoginBody = Type.Object(
  {
    username: Username,
    password: Password,
    deviceName: Text(1, 100),
    appVersion: Type.Optional(Text(0, 40)),
    /** The device's current refresh token for this person, if it has one: exempts it from sign-in delays. */
    refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** The tablet's own id (the one its outbox sends): one tablet is one device, however often people sign in. */
    deviceId: Type.Optional(Id),
  },
  { additionalProperties: false },
)
const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)
const PasswordBody = Type.Object(
  { currentPassword: Password, newPassword: NewPassword },
  { additionalProperties: false },
)
const Ok = Type.Object({ ok: Type.Literal(true) })

export async function authRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const throttle = new LoginThrottle(ctx.now)

  /** True when `refreshToken` is the current one of a live device session of this person. */
  async function holdsSession(personId: string, refreshToken: string): Promise<boolean> {
    const row = await db
      .selectFrom('device_sessions')
      .select('id')
      .where('refresh_hash', '=', hashRefreshToken(refreshToken))
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return row !== undefined
  }

  function tooSoon(reply: FastifyReply, waitMs: number) {
    const seconds = Math.ceil(waitMs / 1000)
    reply.header('retry-after', String(seconds))
    throw new Refusal(
      429,
      'rate_limited',
      `Too many failed sign-ins for this username from this address: try again in ${seconds} seconds.`,
    )
  }

  app.post(
    '/api/auth/login',
    {
      schema: {
        summary:
          'Log in on a device: a device session with a refresh token and an access token, or the second-factor step it waits for',
        body: LoginBody,
        response: { 200: Type.Union([SessionReply, SecondFactorStep]), ...errors },
      },
      config: { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
    },
    async (request: FastifyRequest<{ Body: Static<typeof LoginBody> }>, reply) => {
      const { password } = request.body
      const username = request.body.username.toLowerCase()
      const address = request.ip
      const person = await db
        .selectFrom('people')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst()
      // Others' failures never slow down a device that already holds this person's session.
      const trusted =
        person !== undefined &&
        request.body.refreshToken !== undefined &&
        (await holdsSession(person.id, request.body.refreshToken))
      const waitMs = trusted ? 0 : throttle.waitMs(username, address)
      if (waitMs > 0) return tooSoon(reply, waitMs)
      let ok = false
      if (person) ok = await verifyPassword(password, person.password_hash)
      // An unknown username costs the same time as a wrong password.
      else await burnPasswordCheck(password)
      // A leaver whose last day is over cannot sign in again, even before the sweep has run.
      const ended = person !== undefined && ok && (await endIfOver(db, person, ctx.now()))
      if (!person || !ok || person.active !== 1 || ended) {
        const nextWaitMs = trusted ? 0 : throttle.failed(username, address)
        // Filed under the person (when there is one) so the administrator finds it with them.
        await audit(db, {
          actorId: null,
          action: 'login_failed',
          target: person?.id ?? username,
          ip: address,
          details: {
            username,
            ...(nextWaitMs > 0 ? { waitSeconds: Math.ceil(nextWaitMs / 1000) } : {}),
          },
        })
        throw new Refusal(401, 'invalid_credentials', 'Wrong username or password.')
      }
      throttle.succeeded(username, address)
      // No device session before the second factor: a short-lived pending sign-in instead.
      const step = await secondFactorNeeded(ctx, person.id)
      if (step !== null) {
        const pending = await startPendingSignIn(
          db,
          {
            personId: person.id,
            stage: step,
            deviceName: request.body.deviceName,
            deviceId: request.body.deviceId ?? null,
            appVersion: request.body.appVersion ?? null,
          },
          ctx.now(),
        )
        return { secondFactor: step, ...pending }
      }
      return openDeviceSession(ctx, person.id, request.body, address, 'password')
    },
  )

  app.post(
    '/api/auth/refresh',
    {
      schema: {
        summary: 'A new access token (and a new refresh token) for a device session',
        body: RefreshBody,
        response: { 200: SessionReply, ...errors },
      },
      config: { rateLimit: { max: ctx.config.loginRateLimit * 3, timeWindow: '1 minute' } },
    },
    async (request: FastifyRequest<{ Body: Static<typeof RefreshBody> }>) => {
      const outcome = await refreshDeviceSession(
        db,
        request.body.refreshToken,
        ctx.now(),
        request.ip,
      )
      return {
        ...accessTokenFor(ctx, outcome.sessionId, outcome.personId),
        refreshToken: outcome.refreshToken,
        deviceSessionId: outcome.sessionId,
        person: await personReply(ctx, outcome.personId),
        serverEpoch: ctx.epoch,
      }
    },
  )

  app.post(
    '/api/auth/logout',
    {
      schema: { summary: 'End this device session', response: { 200: Ok, ...errors } },
      preHandler: authenticate(ctx),
    },
    async (request) => {
      const caller = callerOf(request)
      await db
        .updateTable('device_sessions')
        .set({ revoked_at: new Date().toISOString() })
        .where('id', '=', caller.sessionId)
        .execute()
      await audit(db, {
        actorId: caller.personId,
        action: 'logout',
        target: caller.sessionId,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )

  app.post(
    '/api/auth/password',
    {
      schema: {
        summary: 'Change your own password',
        body: PasswordBody,
        response: { 200: Ok, ...errors },
      },
      preHandler: authenticate(ctx),
      config: {
        rateLimit: { max: Math.ceil(ctx.config.loginRateLimit / 2), timeWindow: '1 minute' },
      },
    },
    async (request: FastifyRequest<{ Body: Static<typeof PasswordBody> }>) => {
      const caller = callerOf(request)
      const person = await db
        .selectFrom('people')
        .select('password_hash')
        .where('id', '=', caller.personId)
        .executeTakeFirstOrThrow()
      if (!(await verifyPassword(request.body.currentPassword, person.password_hash))) {
        throw new Refusal(403, 'wrong_password', 'The current password is wrong.')
      }
      // A password an administrator set (and so knows) cannot be kept as one's own.
      if (request.body.newPassword === request.body.currentPassword) {
        throw new Refusal(400, 'same_password', 'The new password must differ from the current.')
      }
      const hash = await hashPassword(request.body.newPassword)
      const ended = await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('people')
          .set({ password_hash: hash, must_change_password: 0 })
          .where('id', '=', caller.personId)
          .execute()
        // Whoever signed in elsewhere with the old password is signed out; this device stays.
        return endOtherSessions(
          trx,
          caller.personId,
          caller.sessionId,
          new Date(ctx.now()).toISOString(),
        )
      })
      await audit(db, {
        actorId: caller.personId,
        action: 'password_changed',
        target: caller.personId,
        ip: request.ip,
        details: { otherDeviceSessionsEnded: ended },
      })
      return { ok: true as const }
    },
  )
}
