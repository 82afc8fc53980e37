import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { Refusal } from '../refusal.ts'

const HealthReply = Type.Object({ status: Type.Literal('ok') })
const HealthError = Type.Object({ error: Type.String(), message: Type.String() })

export async function healthRoutes(
  app: FastifyInstance,
  opts: { ping: () => Promise<void> },
): Promise<void> {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Liveness and database check',
        response: { 200: HealthReply, 503: HealthError },
      },
    },
    async () => {
      try {
        await opts.ping()
      } catch {
        throw new Refusal(503, 'database_unavailable', 'The database does not answer.')
      }
      return { status: 'ok' as const }
    },
  )
}
