import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../../sync-server/src/app.ts'
import { loadConfig } from '../../../sync-server/src/config.ts'

/** A server app on a fresh SQLite file in a temporary folder; `close` removes both. */
export async function testApp(env: Record<string, string> = {}): Promise<{
  app: FastifyInstance
  dataDir: string
  close: () => Promise<void>
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'linja-test-'))
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env })
  const app = await buildApp({ config, logger: false })
  return {
    app,
    dataDir,
    close: async () => {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
