// Pushes whole cases (client, one episode, ORS sessions with chosen totals and dates) through the sync API.
import type { FastifyInstance } from 'fastify'
import type { TestOperation } from './ops.ts'
import { clientPayload, Device, episodePayload, orsPayload } from './ops.ts'
import type { Session } from './world.ts'

export interface CaseSpec {
  code: string
  unitId?: string | null
  /** One ORS per session, on the dates given (ISO date). */
  totals: readonly number[]
  dates: readonly string[]
  endedAt?: string | null
}

/** Four ORS items summing exactly to `total` (0–40). */
export function orsItems(total: number): Record<string, number> {
  const [a, b, c, d] = [0, 1, 2, 3].map((i) => Math.floor((total + i) / 4))
  return {
    'ors.individually': a ?? 0,
    'ors.interpersonally': b ?? 0,
    'ors.socially': c ?? 0,
    'ors.overall': d ?? 0,
  }
}

export function caseOpsFor(device: Device, owner: string, spec: CaseSpec): TestOperation[] {
  const client = { ...clientPayload([owner], spec.code), unitId: spec.unitId ?? null }
  const start = `${spec.dates[0]}T09:00:00.000Z`
  const episode = {
    ...episodePayload(client.id),
    startedAt: start,
    endedAt: spec.endedAt ? `${spec.endedAt}T15:00:00.000Z` : null,
    ending: spec.endedAt ? 'planned' : null,
  }
  const ops = [device.op('client', 'create', client), device.op('episode', 'create', episode)]
  spec.totals.forEach((total, i) => {
    const at = `${spec.dates[i]}T10:00:00.000Z`
    const ors = orsPayload(client.id, episode.id, orsItems(total), {
      session: i + 1,
      markedAt: at,
      startedAt: at,
    })
    ops.push(device.op('administration', 'create', ors))
  })
  return ops
}

const devices = new Map<string, Device>()

export async function pushCases(
  app: FastifyInstance,
  who: Session,
  specs: readonly CaseSpec[],
): Promise<void> {
  // A device session is bound to the first device id that pushes with it.
  const device = devices.get(who.deviceSessionId) ?? new Device()
  devices.set(who.deviceSessionId, device)
  const ops = specs.flatMap((s) => caseOpsFor(device, who.personId, s))
  for (let i = 0; i < ops.length; i += 200) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: who.headers,
      payload: device.body(ops.slice(i, i + 200)),
    })
    const bad = res.json().results?.filter((r: { status: string }) => r.status !== 'applied')
    if (res.statusCode !== 200 || bad.length > 0) throw new Error(`push: ${res.body.slice(0, 400)}`)
  }
}
