// Builds the Fastify app as a plugin tree so tests can use app.inject() without a port.
import Fastify, { type FastifyInstance } from 'fastify'
import { startAccessLogSweeps } from './accounts/access-log.ts'
import { bootstrap } from './accounts/bootstrap.ts'
import { seedDemo } from './accounts/demo.ts'
import type { DemoOperationsHook } from './accounts/demo-records.ts'
import { sweepLeavers } from './accounts/leavers.ts'
import { OIDC_CALLBACK_PATH } from './auth/oidc-config.ts'
import { secretsKeyFor } from './auth/secrets-key.ts'
import { tokenSecrets } from './auth/token-secret.ts'
import type { ServerConfig } from './config.ts'
import type { AppContext } from './context.ts'
import { checkConnection, type OpenedDatabase, openDatabase } from './db/database.ts'
import { migrate, pingDatabase, readMeta } from './db/migrations.ts'
import { errorHandler } from './plugins/error-handler.ts'
import { security } from './plugins/security.ts'
import { staticApp } from './plugins/static-app.ts'
import { mailSender } from './remote/mail-sender.ts'
import { DeliveryOutbox } from './remote/outbox.ts'
import type { Senders } from './remote/senders.ts'
import { smsSender } from './remote/sms-sender.ts'
import { FactsBuilder } from './reports/facts-builder.ts'
import { REPORT_PAGE_ROWS } from './reports/scope.ts'
import { accessLogRoutes } from './routes/access-log.ts'
import { accessRequestRoutes } from './routes/access-requests.ts'
import { adminRoutes } from './routes/admin.ts'
import { adminAccessRequestRoutes } from './routes/admin-access-requests.ts'
import { adminDirectoryRoutes } from './routes/admin-directory.ts'
import { adminPeopleRoutes } from './routes/admin-people.ts'
import { adminScope } from './routes/admin-scope.ts'
import { adminSupervisionRoutes } from './routes/admin-supervision.ts'
import { adminTabletRoutes } from './routes/admin-tablets.ts'
import { adminUnitRoutes } from './routes/admin-units.ts'
import { authRoutes } from './routes/auth.ts'
import { authOidcRoutes } from './routes/auth-oidc.ts'
import { authTwoFactorRoutes } from './routes/auth-two-factor.ts'
import { deviceRoutes } from './routes/devices.ts'
import { healthRoutes } from './routes/health.ts'
import { remoteRoutes } from './routes/remote.ts'
import { remoteLinkRoutes } from './routes/remote-links.ts'
import { reportPeriodRoutes } from './routes/report-periods.ts'
import { DATE_FORMATS } from './routes/schemas.ts'
import { scimRoutes } from './routes/scim.ts'
import { settingsRoutes } from './routes/settings.ts'
import { supervisionRoutes } from './routes/supervision.ts'
import { syncRoutes } from './routes/sync.ts'
import { textPackRoutes } from './routes/text-packs.ts'
import { schemaCompilers } from './schema-compilers.ts'
import { GroupCommitter } from './sync/group-commit.ts'
import { pushBatches } from './sync/push.ts'

export interface BuildOptions {
  config: ServerConfig
  logger?: boolean
  /** Where the one-time admin password is printed; stdout by default. */
  print?: (line: string) => void
  /** The server's clock in milliseconds (tests move it); Date.now by default. */
  now?: () => number
  /** Called after each group commit of pushes with how many it carried (tests count commits). */
  onPushCommit?: (pushes: number) => void
  /** Test seam: changes the demo seed's push operations (tests prove a bad one stops the start). */
  demoOperations?: DemoOperationsHook
  /** Rows per page a report reads its facts in (tests make it tiny, so pages split clients). */
  reportPageRows?: number
  /** How often remote-link messages due for a retry are looked for; 15 s by default. */
  remoteDeliveryTickMs?: number
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            // Bodies are never logged; headers that carry secrets are hidden too.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            // The provider's return carries a one-time code and state in its query: never logged.
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({
                method: req.method,
                url: req.url.startsWith(OIDC_CALLBACK_PATH) ? OIDC_CALLBACK_PATH : req.url,
                remoteAddress: req.ip,
              }),
            },
          },
    bodyLimit: 1024 * 1024,
    // LINJA_TLS_CERT_FILE/KEY_FILE; without them plain HTTP behind a TLS-terminating proxy (README).
    ...(config.tls ? { https: config.tls } : {}),
    // Without TRUST_PROXY, X-Forwarded-For is ignored: anyone could claim any address in it.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    schemaController: { compilersFactory: schemaCompilers },
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: false,
        formats: DATE_FORMATS,
      },
    },
  }).withTypeProvider()

  const database: OpenedDatabase = openDatabase(config)
  await checkConnection(database, config.databaseUrl)
  let ctx: AppContext | undefined
  let stopSweeps: (() => void) | undefined
  app.addHook('onClose', async () => {
    stopSweeps?.()
    await ctx?.remoteOutbox.close()
    await ctx?.reportFacts.close()
    await database.close()
  })
  try {
    const secretsKey = await secretsKeyFor(database.db, config)
    const secrets = tokenSecrets(config)
    // The token secrets open the TOTP secrets older servers sealed with them (migration 0020).
    await migrate(database.db, database.dialect, secretsKey, secrets)
    const print = options.print ?? ((line: string) => console.log(line))
    await bootstrap(database.db, { adminPassword: config.adminPassword, print })
    const now = options.now ?? Date.now
    const senders: Senders = {
      ...(config.smtp ? { email: mailSender(config.smtp) } : {}),
      ...(config.sms ? { sms: smsSender(config.sms) } : {}),
    }
    ctx = {
      db: database.db,
      dialect: database.dialect,
      config,
      epoch: await readMeta(database.db, 'epoch'),
      tokenSecrets: secrets,
      secretsKey,
      pushes: new GroupCommitter(database.db, database.dialect, pushBatches, {
        ...(options.onPushCommit ? { onCommit: options.onPushCommit } : {}),
      }),
      now,
      reportFacts: new FactsBuilder(database.db, database.dialect, app.log),
      reportPageRows: options.reportPageRows ?? REPORT_PAGE_ROWS,
      remoteOutbox: new DeliveryOutbox({
        db: database.db,
        secretsKey,
        senders,
        now,
        log: app.log,
        tickMs: options.remoteDeliveryTickMs ?? 15_000,
      }),
    }
    // The demo's records go through the push path, so they are checked and their facts kept as a tablet's are.
    if (config.demo) {
      await seedDemo(ctx, {
        password: config.demoPassword,
        print,
        operations: options.demoOperations,
      })
    }
    // Existing data (an upgrade, a demo seed, settings changed while stopped) gets its facts built in the background.
    await ctx.reportFacts.ensure()
    // The innsynslogg keeps entries for the organisation's retention, no longer.
    stopSweeps = await startAccessLogSweeps(ctx.db, ctx.now, (error) =>
      app.log.error({ err: error }, 'access log sweep failed'),
    )
    // Messages left waiting by an earlier run (or another instance that stopped) go out now.
    ctx.remoteOutbox.start()
  } catch (error) {
    // A failed start leaves no open database behind (the pool would keep the process alive).
    await database.close().catch(() => undefined)
    throw error
  }

  if (config.tokenSecretPrevious !== null) {
    app.log.warn(
      `LINJA_TOKEN_SECRET_PREVIOUS is accepted until ${new Date(ctx.tokenSecrets.previousUntilMs).toISOString()}; remove it after that`,
    )
  }

  // Leavers whose last day is over lose access: at start and every minute (sign-in, refresh and
  // every request check it too, so the minute is only how soon the tablets list shows it).
  const appCtx = ctx
  const sweep = () =>
    sweepLeavers(appCtx.db, appCtx.now()).catch((error: unknown) =>
      app.log.error({ err: { type: (error as Error).name } }, 'leaver sweep failed'),
    )
  await sweep()
  const sweeper = setInterval(() => void sweep(), 60_000)
  sweeper.unref()
  app.addHook('onClose', async () => clearInterval(sweeper))

  app.setErrorHandler(errorHandler)
  await security(app)
  await app.register(healthRoutes, { ping: () => pingDatabase(database.db) })
  await app.register(authRoutes, { ctx })
  await app.register(authOidcRoutes, { ctx })
  await app.register(authTwoFactorRoutes, { ctx })
  await app.register(syncRoutes, { ctx })
  await app.register(adminScope, {
    ctx,
    routes: [
      adminRoutes,
      adminPeopleRoutes,
      adminSupervisionRoutes,
      adminTabletRoutes,
      adminDirectoryRoutes,
      adminAccessRequestRoutes,
    ],
  })
  // Units are also read by leaders: their guard is per route.
  await app.register(adminUnitRoutes, { ctx })
  await app.register(deviceRoutes, { ctx })
  await app.register(settingsRoutes, { ctx })
  await app.register(textPackRoutes, { ctx })
  await app.register(supervisionRoutes, { ctx })
  await app.register(reportPeriodRoutes, { ctx })
  await app.register(accessRequestRoutes, { ctx })
  await app.register(scimRoutes, { ctx, prefix: '/scim/v2' })
  await app.register(accessLogRoutes, { ctx })
  await app.register(remoteLinkRoutes, { ctx })
  await app.register(remoteRoutes, { ctx })
  await app.register(staticApp, { staticDir: config.staticDir })
  return app
}
