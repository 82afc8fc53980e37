// The push load generator, run as its own process by server-bench.ts so autocannon does not share the
// server's event loop (in one process, at 200 connections the p99 was mostly the generator's own
// queueing). Reads a LoadSpec as JSON on stdin, writes a LoadResult as JSON on stdout.
import autocannon from 'autocannon'
import { orsPayload } from '../server/support/ops.ts'

export interface LoadTablet {
  headers: Record<string, string>
  deviceId: string
  deviceKey: string
  /** The last seq the tablet pushed. */
  seq: number
  clientId: string
  episodeId: string
}

export interface LoadSpec {
  url: string
  connections: number
  seconds: number
  tablets: LoadTablet[]
  /**
   * `ceiling`: GET /api/health (one database ping, no sign-in) instead of pushes: what this machine's
   * server and generator manage for the least a request can do, measured the same way.
   */
  mode?: 'push' | 'ceiling'
}

export interface LoadResult {
  total: number
  perSecond: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

const AT = '2026-11-20T10:00:00.000Z'

async function run(spec: LoadSpec): Promise<LoadResult> {
  const free = [...spec.tablets]
  const result = await autocannon(
    spec.mode === 'ceiling'
      ? {
          url: spec.url,
          connections: spec.connections,
          duration: spec.seconds,
          requests: [{ method: 'GET', path: '/api/health' }],
        }
      : {
          url: spec.url,
          connections: spec.connections,
          duration: spec.seconds,
          requests: [
            {
              method: 'POST',
              path: '/api/sync/push',
              // Each connection borrows an idle tablet for one request, so every tablet's seq stays in order.
              setupRequest: (request, context) => {
                const t = free.pop()
                if (!t) throw new Error('more requests in flight than tablets')
                context.tablet = t
                t.seq += 1
                const payload = orsPayload(t.clientId, t.episodeId)
                const op = {
                  seq: t.seq,
                  opId: crypto.randomUUID(),
                  deviceId: t.deviceId,
                  entity: 'administration',
                  entityId: payload.id,
                  op: 'create',
                  payload,
                  createdAt: AT,
                }
                const body = {
                  protocolVersion: 1,
                  deviceId: t.deviceId,
                  deviceKey: t.deviceKey,
                  operations: [op],
                }
                return {
                  ...request,
                  headers: { ...t.headers, 'content-type': 'application/json' },
                  body: JSON.stringify(body),
                }
              },
              onResponse: (status, _body, context) => {
                const t = context.tablet as LoadTablet
                if (status !== 200) t.seq -= 1
                free.push(t)
              },
            },
          ],
        },
  )
  return {
    total: result.requests.total,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

async function main(): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const spec = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadSpec
  process.stdout.write(JSON.stringify(await run(spec)))
}

await main()
