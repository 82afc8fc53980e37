// Organisation settings: the admin reads, replaces and fits trajectory parameters; every signed-in device reads them.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { DEFAULT_NORMS, fitTrajectory, type NormSettings } from '../../../src/core/index.ts'
import { REMOTE_LINK_HOURS } from '../../../src/core/remote-link-codes.ts'
import { sweepExpiredAccessLog } from '../accounts/access-log.ts'
import { audit } from '../accounts/audit.ts'
import { ACCESS_LOG_RETENTION_RANGE, readSettings, writeSettings } from '../accounts/settings.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { loadEpisodes } from '../reports/episodes.ts'
import { factsKey } from '../reports/facts.ts'
import { CLOSED, ErrorReply, errors } from './schemas.ts'

const Score = Type.Number({ minimum: 0, maximum: 40 })
const NormFields = {
  orsAdultCutoff: Score,
  orsAdolescentCutoff: Score,
  corsChildCutoff: Score,
  srsCutoff: Score,
  srsItemFlag: Score,
  srsDrop: Score,
  reliableChange: Score,
}
const CutoffOverrides = Type.Object(
  Object.fromEntries(Object.entries(NormFields).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof typeof NormFields]: ReturnType<typeof Type.Optional<(typeof NormFields)[K]>>
  },
  { additionalProperties: false },
)
const Norms = Type.Object(NormFields, CLOSED)
const Coefficient = Type.Number({ minimum: -1000, maximum: 1000 })
const Trajectory = Type.Object(
  {
    a: Coefficient,
    b: Coefficient,
    targetOffset: Coefficient,
    atRiskOffset: Coefficient,
    n: Type.Integer({ minimum: 0 }),
    source: Type.Union([Type.Literal('default'), Type.Literal('fitted')]),
    fittedAt: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
)
const SessionIdleDays = Type.Integer({ minimum: 1, maximum: 365 })
const SessionMaxDays = Type.Integer({ minimum: 1, maximum: 3650 })
const RetentionYears = Type.Integer({
  ...ACCESS_LOG_RETENTION_RANGE,
  description: 'Years an innsynslogg entry is kept before the sweep deletes it',
})
const RemoteLinkHours = Type.Integer({
  minimum: REMOTE_LINK_HOURS.minimum,
  maximum: REMOTE_LINK_HOURS.maximum,
  description: 'Hours a remote-form link stays usable (1 hour to 30 days)',
})
const SettingsBody = Type.Object(
  {
    cutoffOverrides: Type.Optional(CutoffOverrides),
    trajectory: Type.Optional(Type.Union([Trajectory, Type.Null()])),
    idleLockMinutes: Type.Integer({ minimum: 1, maximum: 120 }),
    // Optional so that a form that does not know them keeps what is stored.
    sessionIdleDays: Type.Optional(SessionIdleDays),
    sessionMaxDays: Type.Optional(SessionMaxDays),
    accessLogRetentionYears: Type.Optional(RetentionYears),
    /** Two-factor sign-in for every local account (admins always need it). */
    twoFactorForAll: Type.Optional(Type.Boolean()),
    remoteLinkHours: Type.Optional(RemoteLinkHours),
  },
  { additionalProperties: false },
)
const SettingsReply = Type.Object(
  {
    cutoffOverrides: CutoffOverrides,
    trajectory: Type.Union([Trajectory, Type.Null()]),
    idleLockMinutes: Type.Integer(),
    sessionIdleDays: Type.Integer(),
    sessionMaxDays: Type.Integer(),
    accessLogRetentionYears: Type.Integer(),
    twoFactorForAll: Type.Boolean(),
    remoteLinkHours: Type.Integer(),
  },
  CLOSED,
)
const DeviceSettings = Type.Object(
  {
    idleLockMinutes: Type.Integer(),
    cutoffOverrides: CutoffOverrides,
    /** The defaults with the overrides applied: what the device passes to the core. */
    norms: Norms,
    trajectory: Type.Union([Trajectory, Type.Null()]),
  },
  CLOSED,
)
const ReportFactsReply = Type.Object(
  {
    /** A rebuild of the reports' read model is running (after a change of cut-offs or trajectory). */
    building: Type.Boolean(),
    percent: Type.Integer({ minimum: 0, maximum: 100 }),
  },
  CLOSED,
)
const FitReply = Type.Object({ n: Type.Integer(), params: Trajectory }, CLOSED)
const TooFew = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    n: Type.Integer(),
    minimum: Type.Integer(),
  },
  CLOSED,
)

export async function settingsRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const adminOnly = authenticate(ctx, ['admin'])

  app.get(
    '/api/admin/settings',
    { schema: { response: { 200: SettingsReply, ...errors } }, preHandler: adminOnly },
    async () => readSettings(db),
  )

  app.put(
    '/api/admin/settings',
    {
      schema: { body: SettingsBody, response: { 200: SettingsReply, ...errors } },
      preHandler: adminOnly,
    },
    async (request: FastifyRequest<{ Body: Static<typeof SettingsBody> }>) => {
      const body = request.body
      const stored = await readSettings(db)
      const settings = {
        cutoffOverrides: body.cutoffOverrides ?? {},
        trajectory: body.trajectory ?? null,
        idleLockMinutes: body.idleLockMinutes,
        sessionIdleDays: body.sessionIdleDays ?? stored.sessionIdleDays,
        sessionMaxDays: body.sessionMaxDays ?? stored.sessionMaxDays,
        accessLogRetentionYears: body.accessLogRetentionYears ?? stored.accessLogRetentionYears,
        twoFactorForAll: body.twoFactorForAll ?? stored.twoFactorForAll,
        remoteLinkHours: body.remoteLinkHours ?? stored.remoteLinkHours,
      }
      if (settings.sessionIdleDays > settings.sessionMaxDays) {
        throw new Refusal(
          400,
          'session_limits_order',
          'The idle limit of a device session cannot be longer than its absolute limit.',
        )
      }
      const caller = callerOf(request)
      await writeSettings(db, settings, caller.personId)
      // Cut-offs and the trajectory are in every episode's report facts.
      if (factsKey(settings) !== factsKey(stored)) ctx.reportFacts.request()
      // A shorter retention applies at once, not at the next daily sweep.
      if (settings.accessLogRetentionYears < stored.accessLogRetentionYears) {
        await sweepExpiredAccessLog(db, ctx.now())
      }
      await audit(db, {
        actorId: caller.personId,
        action: 'settings_changed',
        ip: request.ip,
        details: {
          overrides: Object.keys(settings.cutoffOverrides).sort().join(','),
          trajectory: settings.trajectory?.source ?? 'none',
          idleLockMinutes: settings.idleLockMinutes,
          sessionIdleDays: settings.sessionIdleDays,
          sessionMaxDays: settings.sessionMaxDays,
          accessLogRetentionYears: settings.accessLogRetentionYears,
          twoFactorForAll: settings.twoFactorForAll,
          remoteLinkHours: settings.remoteLinkHours,
        },
      })
      return settings
    },
  )

  app.get(
    '/api/admin/settings/report-facts',
    {
      schema: {
        summary: 'How far the rebuild of the report figures after a settings change has come',
        response: { 200: ReportFactsReply, ...errors },
      },
      preHandler: adminOnly,
    },
    async () => {
      const progress = ctx.reportFacts.progress()
      return { building: progress !== null, percent: progress?.percent ?? 100 }
    },
  )

  app.post(
    '/api/admin/settings/fit-trajectory',
    {
      schema: {
        summary: 'Fit trajectory parameters on the closed episodes (changes nothing until a PUT)',
        response: { 200: FitReply, ...errors, 409: Type.Union([TooFew, ErrorReply]) },
      },
      preHandler: adminOnly,
    },
    async () => {
      const episodes = await loadEpisodes(db)
      const closed = episodes.filter((e) => e.endedAt)
      const fit = fitTrajectory(closed, { fittedAt: new Date().toISOString() })
      if (!fit.ok) {
        const message =
          fit.reason === 'too-few-episodes'
            ? `Fitting needs at least ${fit.minimum} closed episodes with a change score; there are ${fit.n}.`
            : 'The closed episodes do not determine the parameters.'
        throw new Refusal(
          409,
          fit.reason === 'too-few-episodes' ? 'too_few_episodes' : 'degenerate',
          message,
          { n: fit.n, minimum: fit.minimum },
        )
      }
      return { n: fit.params.n, params: fit.params }
    },
  )

  app.get(
    '/api/settings',
    {
      schema: {
        summary: 'The organisation settings a device needs',
        response: { 200: DeviceSettings, ...errors },
      },
      preHandler: authenticate(ctx),
    },
    async () => {
      const s = await readSettings(db)
      const norms: NormSettings = { ...DEFAULT_NORMS, ...s.cutoffOverrides }
      return { ...s, norms }
    },
  )
}
