// The second step of a sign-in for local accounts: a TOTP code or a recovery code, or enrolment when two factors are required.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import {
  checkPersonCode,
  clearTwoFactor,
  completeEnrolment,
  spendRecoveryCode,
  twoFactorRequired,
} from '../accounts/two-factor.ts'
import {
  endPendingSignIn,
  moveToEnrolment,
  type PendingSignIn,
  pendingSignIn,
} from '../auth/pending-sign-ins.ts'
import { openDeviceSession } from '../auth/sign-in-session.ts'
import { LoginThrottle } from '../auth/throttle.ts'
import {
  checkCode,
  enrolmentContext,
  newTotpSecret,
  openTotpSecret,
  otpauthUri,
  sealTotpSecret,
} from '../auth/totp.ts'
import type { AppContext } from '../context.ts'
import { Refusal } from '../refusal.ts'
import { CLOSED, errors, SecondFactorStep, SessionReply } from './schemas.ts'

const PendingToken = Type.String({ minLength: 1, maxLength: 200 })
const Code = Type.String({ minLength: 1, maxLength: 20, description: 'six digits' })
const CodeBody = Type.Object(
  {
    pendingToken: PendingToken,
    /** The code the authenticator app shows now. */
    code: Type.Optional(Code),
    /** One of the recovery codes given at enrolment, instead of `code` (lost phone). */
    recoveryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
)
const PendingBody = Type.Object({ pendingToken: PendingToken }, { additionalProperties: false })
const ConfirmBody = Type.Object(
  { pendingToken: PendingToken, code: Code },
  { additionalProperties: false },
)
const EnrolmentReply = Type.Object(
  {
    /** Base32, to type into the app when the QR code cannot be scanned. */
    secret: Type.String(),
    otpauthUri: Type.String(),
    /** The otpauth URI as a QR code (SVG, made on the server). */
    qrSvg: Type.String(),
  },
  CLOSED,
)
const EnrolledReply = Type.Object({
  ...SessionReply.properties,
  /** Ten single-use codes, shown this once: only their hashes are kept. */
  recoveryCodes: Type.Array(Type.String()),
})

/** The tablet the pending sign-in was started on. */
function tabletOf(pending: PendingSignIn) {
  return {
    deviceName: pending.deviceName,
    deviceId: pending.deviceId ?? undefined,
    appVersion: pending.appVersion ?? undefined,
  }
}

export async function authTwoFactorRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  // Per person, from any address: whoever holds the password may not try a million codes.
  const throttle = new LoginThrottle(ctx.now)
  const SCOPE = 'second-factor'
  const limits = { rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' } }

  function waitOrGo(reply: FastifyReply, personId: string): void {
    const waitMs = throttle.waitMs(personId, SCOPE)
    if (waitMs <= 0) return
    const seconds = Math.ceil(waitMs / 1000)
    reply.header('retry-after', String(seconds))
    throw new Refusal(429, 'rate_limited', `Too many wrong codes: try again in ${seconds} seconds.`)
  }

  async function refuse(
    request: FastifyRequest,
    pending: PendingSignIn,
    reason: 'wrong' | 'replayed' | 'recovery',
  ): Promise<never> {
    const nextWaitMs = throttle.failed(pending.personId, SCOPE)
    await audit(db, {
      actorId: null,
      action: 'two_factor_failed',
      target: pending.personId,
      ip: request.ip,
      details: {
        reason,
        ...(nextWaitMs > 0 ? { waitSeconds: Math.ceil(nextWaitMs / 1000) } : {}),
      },
    })
    if (reason === 'replayed') {
      throw new Refusal(
        401,
        'code_replayed',
        'This code has been used already: wait for the next code in the app.',
      )
    }
    if (reason === 'recovery') {
      throw new Refusal(401, 'wrong_recovery_code', 'Wrong or already used recovery code.')
    }
    throw new Refusal(401, 'wrong_code', 'Wrong code.')
  }

  app.post(
    '/api/auth/login/code',
    {
      schema: {
        summary:
          'Second step of a sign-in: the code from the authenticator app, or a recovery code (which ends the enrolment: enrol again)',
        body: CodeBody,
        response: { 200: Type.Union([SessionReply, SecondFactorStep]), ...errors },
      },
      config: limits,
    },
    async (request: FastifyRequest<{ Body: Static<typeof CodeBody> }>, reply) => {
      const { code, recoveryCode } = request.body
      if ((code === undefined) === (recoveryCode === undefined)) {
        throw new Refusal(400, 'invalid_request', 'Send either code or recoveryCode.')
      }
      const pending = await pendingSignIn(db, request.body.pendingToken, 'code', ctx.now())
      waitOrGo(reply, pending.personId)
      if (code !== undefined) {
        const check = await checkPersonCode(ctx, pending.personId, code)
        if (!check.ok && check.reason === 'unreadable') {
          throw new Refusal(
            409,
            'two_factor_unreadable',
            'The server cannot read your authenticator enrolment any more: sign in with a recovery code, or ask the administrator to reset two-factor sign-in.',
          )
        }
        if (!check.ok) return refuse(request, pending, check.reason)
        throttle.succeeded(pending.personId, SCOPE)
        await endPendingSignIn(db, pending.tokenHash)
        return openDeviceSession(ctx, pending.personId, tabletOf(pending), request.ip, 'totp')
      }
      const at = new Date(ctx.now()).toISOString()
      if (!(await spendRecoveryCode(db, pending.personId, recoveryCode ?? '', at))) {
        return refuse(request, pending, 'recovery')
      }
      throttle.succeeded(pending.personId, SCOPE)
      // A recovery code means the phone is gone: its secret must not open anything any more.
      await clearTwoFactor(db, pending.personId, pending.tokenHash)
      await audit(db, {
        actorId: pending.personId,
        action: 'two_factor_recovery_used',
        target: pending.personId,
        ip: request.ip,
      })
      if (await twoFactorRequired(db, pending.personId)) {
        const expiresAt = await moveToEnrolment(db, pending.tokenHash, ctx.now())
        return {
          secondFactor: 'enrol' as const,
          pendingToken: request.body.pendingToken,
          expiresAt,
        }
      }
      await endPendingSignIn(db, pending.tokenHash)
      return openDeviceSession(ctx, pending.personId, tabletOf(pending), request.ip, 'recovery')
    },
  )

  app.post(
    '/api/auth/login/enrolment',
    {
      schema: {
        summary:
          'Start enrolling an authenticator app during a sign-in: the secret as text and as a QR code (shown during enrolment only)',
        body: PendingBody,
        response: { 200: EnrolmentReply, ...errors },
      },
      config: limits,
    },
    async (request: FastifyRequest<{ Body: Static<typeof PendingBody> }>) => {
      const pending = await pendingSignIn(db, request.body.pendingToken, 'enrol', ctx.now())
      // Asked again (a reload), the same secret: the app may already hold it.
      let secret = pending.enrolSecret
        ? (openTotpSecret(
            ctx.secretsKey,
            pending.enrolSecret,
            enrolmentContext(pending.personId),
          ) ?? undefined)
        : undefined
      if (secret === undefined) {
        secret = newTotpSecret()
        await db
          .updateTable('pending_sign_ins')
          .set({
            enrol_secret: sealTotpSecret(
              ctx.secretsKey,
              secret,
              enrolmentContext(pending.personId),
            ),
          })
          .where('token_hash', '=', pending.tokenHash)
          .execute()
      }
      const person = await db
        .selectFrom('people')
        .select('username')
        .where('id', '=', pending.personId)
        .executeTakeFirstOrThrow()
      const uri = otpauthUri(person.username, secret)
      const qrSvg = await QRCode.toString(uri, {
        type: 'svg',
        margin: 2,
        errorCorrectionLevel: 'M',
      })
      return { secret, otpauthUri: uri, qrSvg }
    },
  )

  app.post(
    '/api/auth/login/enrolment/confirm',
    {
      schema: {
        summary:
          'Finish enrolling with a first code from the app: the device session, and ten recovery codes shown this once',
        body: ConfirmBody,
        response: { 200: EnrolledReply, ...errors },
      },
      config: limits,
    },
    async (request: FastifyRequest<{ Body: Static<typeof ConfirmBody> }>, reply) => {
      const pending = await pendingSignIn(db, request.body.pendingToken, 'enrol', ctx.now())
      const sealed = pending.enrolSecret
      const secret = sealed
        ? (openTotpSecret(ctx.secretsKey, sealed, enrolmentContext(pending.personId)) ?? undefined)
        : undefined
      if (secret === undefined) {
        throw new Refusal(409, 'enrolment_not_started', 'Start the enrolment first.')
      }
      waitOrGo(reply, pending.personId)
      const check = checkCode(secret, request.body.code, null, ctx.now())
      if (!check.ok) return refuse(request, pending, check.reason)
      throttle.succeeded(pending.personId, SCOPE)
      const recoveryCodes = await completeEnrolment(ctx, pending.personId, secret, check.step)
      await endPendingSignIn(db, pending.tokenHash)
      await audit(db, {
        actorId: pending.personId,
        action: 'two_factor_enrolled',
        target: pending.personId,
        ip: request.ip,
      })
      const session = await openDeviceSession(
        ctx,
        pending.personId,
        tabletOf(pending),
        request.ip,
        'totp',
      )
      return { ...session, recoveryCodes }
    },
  )
}
