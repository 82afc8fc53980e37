import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import type { PulledChange, PushResponse } from '../../src/core/sync-protocol.ts'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device, orsPayload } from './support/ops.ts'
import { countStatements } from './support/statements.ts'
import { addPerson, login, PASSWORD, type Session } from './support/world.ts'

const GOOD = 10

interface Tablet {
  session: Session
  device: Device
  clientId: string
  episodeId: string
}

async function push(app: FastifyInstance, s: Session, body: unknown) {
  return app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: s.headers,
    payload: body as Record<string, unknown>,
  })
}

async function pullAll(app: FastifyInstance, s: Session): Promise<PulledChange[]> {
  const changes: PulledChange[] = []
  let cursor = ''
  for (;;) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/sync/pull?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      headers: s.headers,
    })
    const page = res.json<{ changes: PulledChange[]; cursor: string; hasMore: boolean }>()
    changes.push(...page.changes)
    cursor = page.cursor
    if (!page.hasMore) return changes
  }
}

// S7/S12 with group commit: concurrent pushes share one transaction and one commit, each in its
// own savepoint, so a refused push still changes nothing and the others still apply in order.
describe.each(backends())('sync push, group commit (%s)', (backend) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  /** A server that reports each commit's size, with one practitioner, 'busy'. */
  async function busyServer() {
    const commits: number[] = []
    server = await serverFor(
      backend,
      { LINJA_LOGIN_RATE_LIMIT: '1000' },
      { onPushCommit: (n) => commits.push(n) },
    )
    const { app } = server
    const admin = await login(app, 'admin', 'admin-password-1')
    await addPerson(app, admin, 'busy', ['practitioner'])
    return { app, commits }
  }

  /** busyServer() and `count` tablets of 'busy', each with a client and episode pushed (`<prefix><n>`). */
  async function busyTablets(count: number, prefix: string, device: (i: number) => Device) {
    const { app, commits } = await busyServer()
    const tablets: Tablet[] = []
    for (let i = 0; i < count; i++) {
      const session = await login(app, 'busy', PASSWORD, `tablet ${i}`)
      const d = device(i)
      const c = caseOps(d, session.personId, `${prefix}${i}`)
      expect((await push(app, session, d.body(c.ops))).statusCode).toBe(200)
      tablets.push({ session, device: d, clientId: c.client.id, episodeId: c.episode.id })
    }
    return { app, commits, tablets }
  }

  it('S7: concurrent pushes share commits; a refused one leaves nothing, the others apply with gap-free server numbers', async () => {
    const { app, commits, tablets } = await busyTablets(GOOD + 2, 'G-', () => new Device())
    const before = await pullAll(app, tablets[0]?.session as Session)
    commits.length = 0

    const good = tablets.slice(0, GOOD)
    const [gap, reused] = tablets.slice(GOOD) as [Tablet, Tablet]
    const goodForms = good.map((t) => orsPayload(t.clientId, t.episodeId))
    // A valid form followed by a skipped number: seq_gap, and the valid form must not stay.
    const gapForm = orsPayload(gap.clientId, gap.episodeId)
    const gapOps = [gap.device.op('administration', 'create', gapForm)]
    gap.device.seq += 1
    gapOps.push(gap.device.op('administration', 'create', orsPayload(gap.clientId, gap.episodeId)))
    // A valid form, then number 1 again with other content: seq_reused.
    const reusedForm = orsPayload(reused.clientId, reused.episodeId)
    const reusedOps = [reused.device.op('administration', 'create', reusedForm)]
    reused.device.seq = 0
    reusedOps.push(
      reused.device.op('administration', 'create', orsPayload(reused.clientId, reused.episodeId)),
    )
    const answers = await Promise.all([
      ...good
        .slice(0, GOOD / 2)
        .map((t, i) =>
          push(
            app,
            t.session,
            t.device.body([
              t.device.op('administration', 'create', goodForms[i] as Record<string, unknown>),
            ]),
          ),
        ),
      push(app, gap.session, gap.device.body(gapOps)),
      ...good
        .slice(GOOD / 2)
        .map((t, i) =>
          push(
            app,
            t.session,
            t.device.body([
              t.device.op(
                'administration',
                'create',
                goodForms[GOOD / 2 + i] as Record<string, unknown>,
              ),
            ]),
          ),
        ),
      push(app, reused.session, reused.device.body(reusedOps)),
    ])
    const gapAnswer = answers[GOOD / 2]
    const reusedAnswer = answers[answers.length - 1]
    const goodAnswers = answers.filter((a) => a !== gapAnswer && a !== reusedAnswer)
    expect(gapAnswer?.statusCode).toBe(409)
    expect(gapAnswer?.json()).toMatchObject({ error: 'seq_gap' })
    expect(reusedAnswer?.statusCode).toBe(409)
    expect(reusedAnswer?.json()).toMatchObject({ error: 'seq_reused', seq: 1 })
    for (const a of goodAnswers) {
      expect(a.statusCode).toBe(200)
      expect(a.json<PushResponse>().results[0]?.status).toBe('applied')
    }

    // Every good push was committed, in fewer commits than pushes (the pushes were grouped).
    expect(commits.reduce((a, b) => a + b, 0)).toBe(GOOD)
    expect(commits.length).toBeLessThan(GOOD)

    const after = await pullAll(app, tablets[0]?.session as Session)
    const ids = new Set(after.map((c) => c.id))
    for (const f of goodForms) expect(ids.has(f.id)).toBe(true)
    expect(ids.has(gapForm.id)).toBe(false)
    expect(ids.has(reusedForm.id)).toBe(false)
    expect(after.length).toBe(before.length + GOOD)
    // Server order has no holes: the refused pushes' numbers were given to the next ones.
    const seqs = after.map((c) => c.serverSeq).sort((a, b) => a - b)
    expect(seqs).toEqual(seqs.map((_, i) => i + 1))

    // The refused devices carry on from where the server left them.
    gap.device.seq = 3
    const retry = await push(
      app,
      gap.session,
      gap.device.body([gap.device.op('administration', 'create', gapForm)]),
    )
    expect(retry.statusCode).toBe(200)
    expect(retry.json<PushResponse>().results[0]?.serverSeq).toBe(seqs.length + 1)
  })

  it('S4/S21: pushes in one commit see each other: a retry sent while its first try is in flight is a duplicate, a correction and a void of a form pushed alongside apply, and a new device id is bound once', async () => {
    const { app, commits } = await busyServer()
    const s = await login(app, 'busy', PASSWORD, 'tablet')
    const device = new Device().withKey('a-device-key-of-the-tablet-0123456789')
    const c = caseOps(device, s.personId, 'V-1')
    const form = orsPayload(c.client.id, c.episode.id)
    const first = device.body([...c.ops, device.op('administration', 'create', form)])
    const corrected = {
      ...orsPayload(c.client.id, c.episode.id),
      versionOf: form.id,
      supersedes: form.id,
      correctionReason: 'wrong client marked',
    }
    const correction = device.body([
      device.op('administration', 'correct', corrected, form.id),
      device.op('administration', 'void', {
        ...c.ors,
        voided: { at: '2026-11-20T11:00:00.000Z', reason: 'entered twice' },
      }),
    ])
    commits.length = 0
    const [a, retry, b] = await Promise.all([
      push(app, s, first),
      push(app, s, first),
      push(app, s, correction),
    ])
    expect(commits.reduce((x, y) => x + y, 0)).toBe(3)
    // SQLite's driver answers at once, so the three always share one commit there; on PostgreSQL
    // the first may start alone while the others still sign in, and they must agree either way.
    if (backend === 'sqlite') expect(commits).toEqual([3])
    expect(a?.statusCode).toBe(200)
    expect(retry?.statusCode).toBe(200)
    expect(b?.statusCode).toBe(200)
    const results = a?.json<PushResponse>().results ?? []
    expect(retry?.json<PushResponse>().results).toEqual(
      results.map((r) => ({ ...r, duplicate: true })),
    )
    expect(b?.json<PushResponse>().results.map((r) => r.status)).toEqual(['applied', 'applied'])
    const records = await pullAll(app, s)
    expect(records.map((r) => r.id).sort()).toEqual(
      [c.client.id, c.episode.id, c.ors.id, form.id, corrected.id].sort(),
    )
    const byId = new Map(records.map((r) => [r.id, r]))
    expect(byId.get(form.id)?.payload).toMatchObject({ supersededBy: corrected.id })
    expect(byId.get(c.ors.id)?.voided).toBe(true)

    // The device id is bound to its key: the same id with another key is refused.
    const thief = new Device(device.deviceId).withKey('another-key-of-another-tablet-012345')
    thief.seq = device.seq
    const stolen = await push(
      app,
      s,
      thief.body([thief.op('administration', 'create', orsPayload(c.client.id, c.episode.id))]),
    )
    expect(stolen.statusCode).toBe(403)
    expect(stolen.json()).toMatchObject({ error: 'device_not_yours' })
  })

  it('a commit of many one-form pushes costs a few statements for the whole commit, not a dozen a push', async () => {
    const { app, commits, tablets } = await busyTablets(GOOD, 'C-', (i) =>
      new Device().withKey(`key-of-tablet-${i}-0123456789abcdefghij`),
    )
    commits.length = 0
    const statements = countStatements(backend)
    const answers = await Promise.all(
      tablets.map((t) =>
        push(
          app,
          t.session,
          t.device.body([
            t.device.op('administration', 'create', orsPayload(t.clientId, t.episodeId)),
          ]),
        ),
      ),
    )
    const count = statements.stop()
    for (const a of answers) expect(a.statusCode).toBe(200)
    expect(commits.reduce((x, y) => x + y, 0)).toBe(GOOD)
    // Signing each request in takes two statements of its own; a push once took about fifteen
    // more (its device, units, last seq, records, access, writes, facts), now shared by its commit.
    expect(count / GOOD).toBeLessThan(8)
  })
})
