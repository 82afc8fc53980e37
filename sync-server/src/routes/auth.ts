// Login, token refresh, logout and password change; each login makes a revocable device session.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { rolesOf } from '../accounts/people.ts'
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords.ts'
import { LoginThrottle } from '../auth/throttle.ts'
import { hashRefreshToken, issueAccessToken, newRefreshToken } from '../auth/tokens.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf, refuse } from '../plugins/authenticate.ts'
import { errors, NewPassword, Password, PersonReply, Text, Username } from './schemas.ts'

const LoginBody = Type.Object(
  {
    username: Username,
    password: Password,
    deviceName: Text(1, 100),
    appVersion: Type.Optional(Text(0, 40)),
  },
  { additionalProperties: false },
)
const SessionReply = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresAt: Type.String(),
  refreshToken: Type.String(),
  deviceSessionId: Type.String(),
  person: PersonReply,
  serverEpoch: Type.String(),
})
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
  const throttle = new LoginThrottle()

  async function personReply(id: string) {
    const p = await db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    return {
      id: p.id,
      username: p.username,
      displayName: p.display_name,
      roles: await rolesOf(db, id),
    }
  }

  function tokens(sessionId: string, personId: string) {
    const access = issueAccessToken({ sid: sessionId, pid: personId }, ctx.tokenSecrets.current)
    return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt }
  }

  app.post(
    '/api/auth/login',
    {
      schema: {
        summary: 'Log in on a device: a device session with a refresh token and an access token',
        body: LoginBody,
        response: { 200: SessionReply, ...errors },
      },
      config: { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } },
    },
    async (request: FastifyRequest<{ Body: Static<typeof LoginBody> }>, reply) => {
      const { password, deviceName, appVersion } = request.body
      const username = request.body.username.toLowerCase()
      if (throttle.blocked(username)) {
        return refuse(
          reply,
          429,
          'too_many_attempts',
          'Too many failed logins: wait a few minutes.',
        )
      }
      const person = await db
        .selectFrom('people')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst()
      let ok = false
      if (person) ok = await verifyPassword(password, person.password_hash)
      // An unknown username costs the same time as a wrong password.
      else await burnPasswordCheck(password)
      if (!person || !ok || person.active !== 1) {
        throttle.failed(username)
        await audit(db, {
          actorId: person?.id ?? null,
          action: 'login_failed',
          target: username,
          ip: request.ip,
        })
        return refuse(reply, 401, 'invalid_credentials', 'Wrong username or password.')
      }
      throttle.succeeded(username)
      const refreshToken = newRefreshToken()
      const sessionId = randomUUID()
      const now = new Date().toISOString()
      await db
        .insertInto('device_sessions')
        .values({
          id: sessionId,
          person_id: person.id,
          device_name: deviceName,
          device_id: null,
          refresh_hash: hashRefreshToken(refreshToken),
          created_at: now,
          last_contact_at: now,
          app_version: appVersion ?? null,
          revoked_at: null,
          wipe: 0,
        })
        .execute()
      await audit(db, { actorId: person.id, action: 'login', target: sessionId, ip: request.ip })
      return {
        ...tokens(sessionId, person.id),
        refreshToken,
        deviceSessionId: sessionId,
        person: await personReply(person.id),
        serverEpoch: ctx.epoch,
      }
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
    async (request: FastifyRequest<{ Body: Static<typeof RefreshBody> }>, reply) => {
      const session = await db
        .selectFrom('device_sessions')
        .innerJoin('people', 'people.id', 'device_sessions.person_id')
        .select(['device_sessions.id', 'person_id', 'revoked_at', 'wipe', 'people.active'])
        .where('refresh_hash', '=', hashRefreshToken(request.body.refreshToken))
        .executeTakeFirst()
      if (!session)
        return refuse(reply, 401, 'unauthorised', 'Unknown refresh token: log in again.')
      if (session.active !== 1) {
        return reply.code(401).send({
          error: 'account_deactivated',
          message: 'This account is deactivated.',
          wipe: true,
        })
      }
      if (session.revoked_at !== null) {
        return reply.code(401).send({
          error: 'device_revoked',
          message: 'This device was signed out by an administrator.',
          wipe: session.wipe === 1,
        })
      }
      // Rotate: the old refresh token stops working once the new one is handed out.
      const refreshToken = newRefreshToken()
      await db
        .updateTable('device_sessions')
        .set({
          refresh_hash: hashRefreshToken(refreshToken),
          last_contact_at: new Date().toISOString(),
        })
        .where('id', '=', session.id)
        .execute()
      return {
        ...tokens(session.id, session.person_id),
        refreshToken,
        deviceSessionId: session.id,
        person: await personReply(session.person_id),
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
    async (request: FastifyRequest<{ Body: Static<typeof PasswordBody> }>, reply) => {
      const caller = callerOf(request)
      const person = await db
        .selectFrom('people')
        .select('password_hash')
        .where('id', '=', caller.personId)
        .executeTakeFirstOrThrow()
      if (!(await verifyPassword(request.body.currentPassword, person.password_hash))) {
        return refuse(reply, 403, 'wrong_password', 'The current password is wrong.')
      }
      await db
        .updateTable('people')
        .set({ password_hash: await hashPassword(request.body.newPassword) })
        .where('id', '=', caller.personId)
        .execute()
      await audit(db, {
        actorId: caller.personId,
        action: 'password_changed',
        target: caller.personId,
        ip: request.ip,
      })
      return { ok: true as const }
    },
  )
}
