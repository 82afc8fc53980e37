// Builds the Fastify app as a plugin tree so tests can use app.inject() without a port.
import Fastify, { type FastifyInstance } from 'fastify'
import type { ServerConfig } from './config.ts'
import { type OpenedDatabase, openDatabase } from './db/database.ts'
import { migrate, pingDatabase } from './db/migrations.ts'
import { errorHandler } from './plugins/error-handler.ts'
import { staticApp } from './plugins/static-app.ts'
import { healthRoutes } from './routes/health.ts'

export interface BuildOptions {
  config: ServerConfig
  logger?: boolean
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const { config } = options
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization'] },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider()

  const database: OpenedDatabase = openDatabase(config)
  app.addHook('onClose', async () => {
    await database.close()
  })
  await migrate(database.db, database.dialect)

  app.setErrorHandler(errorHandler)
  await app.register(healthRoutes, { ping: () => pingDatabase(database.db) })
  await app.register(staticApp, { staticDir: config.staticDir })
  return app
}
