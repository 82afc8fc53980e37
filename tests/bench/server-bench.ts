// Sync server benchmark: push and pull throughput for 10,000 administrations next to a raw Kysely insert
// of the same rows (the ratio is the figure), and push latency under 50 and 200 concurrent devices.
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { appOn, type Backend, backends, createTestDatabase } from '../server/support/backends.ts'
import type { TestOperation } from '../server/support/ops.ts'
import { caseOps, Device, orsPayload } from '../server/support/ops.ts'
import { addPerson, login, PASSWORD, type Session } from '../server/support/world.ts'
import type { LoadResult, LoadSpec, LoadTablet } from './push-load.ts'
import type { BenchFigure } from './stats.ts'

const HERE = import.meta.dirname

const RECORDS = 10_000
const BATCH = 500
const FORMS_PER_EPISODE = 20
const EPISODES = RECORDS / FORMS_PER_EPISODE

async function throughput(backend: Backend): Promise<BenchFigure[]> {
  const database = await createTestDatabase(backend)
  const server = await appOn(database, { LINJA_LOGIN_RATE_LIMIT: '100000' })
  const app = server.app
  try {
    const admin = await login(app, 'admin', 'admin-password-1')
    await addPerson(app, admin, 'bench', ['practitioner'])
    const s = await login(app, 'bench', PASSWORD)
    const device = new Device()
    // Like a real organisation (tests/bench/seed-org.ts): EPISODES clients with one episode each,
    // FORMS_PER_EPISODE forms in each; a push carries the forms of a few episodes, so each push's
    // read-model refresh reads those episodes only, not one ever-growing episode.
    const cases = Array.from({ length: EPISODES }, (_, i) => caseOps(device, s.personId, `B-${i}`))
    const setup = cases.flatMap((c) => c.ops)
    for (let i = 0; i < setup.length; i += BATCH)
      await push(app, s, device, setup.slice(i, i + BATCH))
    const forms = cases.flatMap((c) =>
      Array.from({ length: FORMS_PER_EPISODE }, () => orsPayload(c.client.id, c.episode.id)),
    )

    let t = performance.now()
    for (let i = 0; i < RECORDS; i += BATCH) {
      const ops = forms.slice(i, i + BATCH).map((f) => device.op('administration', 'create', f))
      await push(app, s, device, ops)
    }
    const pushMs = performance.now() - t

    t = performance.now()
    let pulled = 0
    let cursor = ''
    for (;;) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/sync/pull?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
        headers: s.headers,
      })
      const page = res.json<{ changes: unknown[]; cursor: string; hasMore: boolean }>()
      pulled += page.changes.length
      cursor = page.cursor
      if (!page.hasMore) break
    }
    const pullMs = performance.now() - t

    // The floor: the same rows straight into the same table with Kysely, in transactions of BATCH.
    const raw = openDatabase({
      dataDir: database.env.DATA_DIR ?? '',
      databaseUrl: database.env.DATABASE_URL ?? null,
    })
    t = performance.now()
    for (let i = 0; i < RECORDS; i += BATCH) {
      const rows = forms.slice(i, i + BATCH).map((f, j) => ({
        id: randomUUID(),
        entity: 'administration',
        client_id: f.clientId,
        owner_id: s.personId,
        unit_id: null,
        chain_id: f.id,
        voided: 0,
        superseded_by: null,
        server_seq: 1_000_000 + i + j,
        payload: JSON.stringify(f),
        updated_at: new Date().toISOString(),
      }))
      await raw.db.transaction().execute((trx) => trx.insertInto('records').values(rows).execute())
    }
    const rawMs = performance.now() - t
    await raw.close()

    const perSecond = (ms: number) => (RECORDS / ms) * 1000
    const note = `${RECORDS} ORS over ${EPISODES} clients of one episode each (${FORMS_PER_EPISODE} forms an episode, ${BATCH / FORMS_PER_EPISODE} episodes a push), pushes of ${BATCH}, in process (app.inject)`
    return [
      {
        name: `${backend}: push`,
        unit: 'administrations/s',
        value: perSecond(pushMs),
        n: RECORDS,
        note,
      },
      {
        name: `${backend}: pull`,
        unit: 'records/s',
        value: (pulled / pullMs) * 1000,
        n: pulled,
        note: 'pages of 1000',
      },
      {
        name: `${backend}: raw Kysely insert`,
        unit: 'rows/s',
        value: perSecond(rawMs),
        n: RECORDS,
        note: `the same ${RECORDS} rows (same clients), multi-row insert, ${BATCH} per transaction`,
      },
      {
        name: `${backend}: push / raw insert`,
        unit: 'ratio',
        value: rawMs / pushMs,
        note: `push throughput ÷ raw Kysely insert throughput (the row above: same ${RECORDS} rows, same run); 1 = as fast as the raw insert`,
      },
    ]
  } finally {
    await server.close()
    await database.drop()
  }
}

async function push(app: FastifyInstance, s: Session, device: Device, ops: TestOperation[]) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: s.headers,
    payload: device.body(ops),
  })
  if (res.statusCode !== 200) throw new Error(`push failed: ${res.statusCode} ${res.body}`)
}

/** Runs the load generator (push-load.ts) in its own process and returns what it measured. */
export function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(HERE, 'push-load.ts')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += String(d)
    })
    child.stderr.on('data', (d) => {
      err += String(d)
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`push-load exited with ${code}: ${err}`))
      resolvePromise(JSON.parse(out) as LoadResult)
    })
    child.stdin.end(JSON.stringify(spec))
  })
}

/** Logs in one tablet per connection (each with its own client and episode, and a device key). */
export async function loadTablets(
  app: FastifyInstance,
  username: string,
  count: number,
): Promise<LoadTablet[]> {
  const tablets: LoadTablet[] = []
  for (let i = 0; i < count; i++) {
    const session = await login(app, username, PASSWORD, `tablet ${i}`)
    const device = new Device().withKey(randomBytes(32).toString('base64url'))
    const c = caseOps(device, session.personId, `L-${i}`)
    await push(app, session, device, c.ops)
    tablets.push({
      headers: session.headers,
      deviceId: device.deviceId,
      deviceKey: device.deviceKey ?? '',
      seq: device.seq,
      clientId: c.client.id,
      episodeId: c.episode.id,
    })
  }
  return tablets
}

async function latency(backend: Backend, connections: number): Promise<BenchFigure> {
  const database = await createTestDatabase(backend)
  const server = await appOn(database, { LINJA_LOGIN_RATE_LIMIT: '100000' })
  const app = server.app
  try {
    const admin = await login(app, 'admin', 'admin-password-1')
    await addPerson(app, admin, 'load', ['practitioner'])
    const tablets = await loadTablets(app, 'load', connections)
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    const cpu = process.cpuUsage()
    const result = await generateLoad({ url, connections, seconds: 8, tablets })
    const used = process.cpuUsage(cpu)
    const cpuPerPush = (used.user + used.system) / 1000 / Math.max(1, result.total)
    return {
      name: `${backend}: push latency, ${connections} devices`,
      unit: 'ms',
      n: result.total,
      p50: result.p50,
      value: result.p99,
      note: `value = p99; ${Math.round(result.perSecond)} pushes/s of 1 ORS; server CPU ${cpuPerPush.toFixed(2)} ms a push; autocannon in its own process on loopback, 8 s; non-2xx ${result.non2xx}, errors ${result.errors}`,
    }
  } finally {
    await server.close()
    await database.drop()
  }
}

/**
 * The same generator against GET /api/health (a database ping, no sign-in, no body): the most
 * requests a second this machine's server and generator manage, next to which the push rate reads.
 */
async function ceiling(backend: Backend, connections: number): Promise<BenchFigure> {
  const database = await createTestDatabase(backend)
  const server = await appOn(database, {})
  try {
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const cpu = process.cpuUsage()
    const result = await generateLoad({
      url,
      connections,
      seconds: 8,
      tablets: [],
      mode: 'ceiling',
    })
    const used = process.cpuUsage(cpu)
    const cpuPerRequest = (used.user + used.system) / 1000 / Math.max(1, result.total)
    return {
      name: `${backend}: ceiling, GET /api/health, ${connections} devices`,
      unit: 'requests/s',
      n: result.total,
      p50: result.p50,
      value: result.perSecond,
      note: `p99 ${result.p99} ms; server CPU ${cpuPerRequest.toFixed(3)} ms a request; the push rows' generator and machine, for the least a request can do; non-2xx ${result.non2xx}, errors ${result.errors}`,
    }
  } finally {
    await server.close()
    await database.drop()
  }
}

/** Call from tests/bench/run.ts: `sections.push({ title: 'Sync server', figures: await serverBench() })`. */
export async function serverBench(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = []
  for (const backend of backends()) {
    figures.push(...(await throughput(backend)))
    for (const connections of [50, 200]) figures.push(await latency(backend, connections))
    figures.push(await ceiling(backend, 200))
    if (process.env.LINJA_BENCH_ONLY === 'sqlite') break
  }
  return figures
}
