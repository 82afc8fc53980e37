// Starts the server on PORT, prints its address and shuts down gracefully on SIGTERM/SIGINT.
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(2)
    }
    throw error
  }
  const app = await buildApp({ config })
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const store = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`
  const scheme = config.tls ? 'https' : 'http'
  console.log(`Linja is running at ${scheme}://localhost:${port}/ (data: ${store})`)

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    app.log.info(`${signal} received, closing`)
    const force = setTimeout(() => process.exit(1), 10_000)
    force.unref()
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((error: unknown) => {
  console.error('Linja could not start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
