// A push as large as the protocol allows: its rows go in as several multi-row statements and its
// lookups as several id lists (db/bulk-sql.ts), and every row still arrives once, with its facts.
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_PUSH_OPERATIONS, type PushResponse } from '../../src/core/sync-protocol.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { factsOf } from '../../sync-server/src/reports/facts.ts'
import { appOn, backends, createTestDatabase, type TestDatabase } from './support/backends.ts'
import { caseOps, Device, orsPayload, type TestOperation } from './support/ops.ts'
import { addPerson, login, PASSWORD } from './support/world.ts'

const CLIENTS = 60
const FORMS_EACH = 7

describe.each(backends())('a push of %s at the protocol’s limit', (backend) => {
  let database: TestDatabase | undefined
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
    await database?.drop()
    database = undefined
  })

  it('stores every form, change and applied operation once, keeps each episode’s facts, and its retry is all duplicates', async () => {
    database = await createTestDatabase(backend)
    const server = await appOn(database, { LINJA_LOGIN_RATE_LIMIT: '1000' })
    closers.push(server.close)
    const { app } = server
    const admin = await login(app, 'admin', 'admin-password-1')
    await addPerson(app, admin, 'many', ['practitioner'])
    const s = await login(app, 'many', PASSWORD)
    const device = new Device()
    const cases = Array.from({ length: CLIENTS }, (_, i) => caseOps(device, s.personId, `M-${i}`))
    // 60 clients, episodes and first forms, then 420 more forms: both pushes are over one
    // statement's 200 rows, and the second names more than 500 ids.
    const ops: TestOperation[] = cases.flatMap((c) => c.ops)
    for (const c of cases)
      for (let f = 0; f < FORMS_EACH; f++)
        ops.push(
          device.op(
            'administration',
            'create',
            orsPayload(c.client.id, c.episode.id, undefined, { session: f + 2 }),
          ),
        )
    const first = ops.slice(0, CLIENTS * 3)
    const second = ops.slice(CLIENTS * 3)
    expect(second.length).toBeLessThanOrEqual(MAX_PUSH_OPERATIONS)
    const send = (batch: TestOperation[]) =>
      app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: s.headers,
        payload: device.body(batch),
      })

    for (const batch of [first, second]) {
      const res = await send(batch)
      expect(res.statusCode, res.body).toBe(200)
      const answer = res.json<PushResponse>()
      expect(answer.results.filter((r) => r.status === 'applied')).toHaveLength(batch.length)
    }
    const retry = (await send(second)).json<PushResponse>()
    expect(retry.results.every((r) => r.duplicate)).toBe(true)
    expect(retry.ackedThrough).toBe(ops.length)

    const { db, close } = openDatabase({
      dataDir: database.env.DATA_DIR ?? '',
      databaseUrl: database.env.DATABASE_URL ?? null,
    })
    closers.push(close)
    const count = async (table: 'records' | 'change_log' | 'applied_ops') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    expect(await count('records')).toBe(ops.length)
    expect(await count('change_log')).toBe(ops.length)
    expect(await count('applied_ops')).toBe(ops.length)
    const facts = await db.selectFrom('episode_facts').select('facts').execute()
    expect(facts).toHaveLength(CLIENTS)
    // Each episode's facts count its first form (session 1) and the seven after it.
    const sessions = facts.map((f) => factsOf(f).outcomeSessions)
    expect(sessions).toEqual(sessions.map(() => FORMS_EACH + 1))
  }, 30_000)
})
