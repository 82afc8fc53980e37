import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device, orsPayload } from './support/ops.ts'
import { login, makeWorld, PASSWORD, type Session } from './support/world.ts'

describe.each(backends())('sync push (%s)', (backend) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  async function setup() {
    server = await serverFor(backend)
    return { app: server.app, world: await makeWorld(server.app) }
  }

  const push = (s: Session, body: unknown, headers: Record<string, string> = {}) =>
    server?.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { ...s.headers, ...headers },
      payload: body as Record<string, unknown>,
    })

  const pullAll = async (s: Session) => {
    const res = await server?.app.inject({
      method: 'GET',
      url: '/api/sync/pull',
      headers: s.headers,
    })
    return res?.json<{
      changes: { id: string; voided: boolean; supersededBy: string | null }[]
      serverTime: string
    }>()
  }

  it('S4: a repeated push with the same content is acknowledged again and makes no duplicate', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops } = caseOps(device, world.pia.personId)
    const first = await push(world.pia, device.body(ops))
    expect(first?.statusCode).toBe(200)
    expect(first?.json().results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
    ])
    const again = await push(world.pia, device.body(ops))
    expect(again?.statusCode).toBe(200)
    const body = again?.json()
    expect(body.ackedThrough).toBe(3)
    expect(body.results.every((r: { duplicate: boolean }) => r.duplicate)).toBe(true)
    expect(body.results.map((r: { serverSeq: number }) => r.serverSeq)).toEqual(
      first?.json().results.map((r: { serverSeq: number }) => r.serverSeq),
    )
    expect((await pullAll(world.pia))?.changes).toHaveLength(3)
  })

  it('S5: the same seq with other content is refused with 409 seq_reused and changes nothing', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops, client, episode } = caseOps(device, world.pia.personId)
    await push(world.pia, device.body(ops))
    const clone = { ...ops[2], payload: orsPayload(client.id, episode.id) }
    clone.entityId = String(clone.payload.id)
    const res = await push(world.pia, device.body([clone]))
    expect(res?.statusCode).toBe(409)
    expect(res?.json()).toMatchObject({ error: 'seq_reused', seq: 3 })
    expect((await pullAll(world.pia))?.changes).toHaveLength(3)
  })

  it('S6: a gap in the device sequence is refused with 409 seq_gap naming the expected seq', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops } = caseOps(device, world.pia.personId)
    const res = await push(world.pia, device.body([ops[0], ops[2]]))
    expect(res?.statusCode).toBe(409)
    expect(res?.json()).toMatchObject({ error: 'seq_gap', expected: 2, seq: 3 })
    // S7: the whole push was refused, so the client from seq 1 was not stored either.
    expect((await pullAll(world.pia))?.changes).toHaveLength(0)
  })

  it('S6: a device that starts above seq 1 is refused', async () => {
    const { world } = await setup()
    const device = new Device()
    device.seq = 4
    const { ops } = caseOps(device, world.pia.personId)
    const res = await push(world.pia, device.body(ops))
    expect(res?.statusCode).toBe(409)
    expect(res?.json()).toMatchObject({ error: 'seq_gap', expected: 1 })
  })

  it('S9: a score that fails core validateItems, or a wrong total, is rejected and not stored', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops, client, episode } = caseOps(device, world.pia.personId)
    const outOfRange = orsPayload(client.id, episode.id, {
      'ors.individually': 11,
      'ors.interpersonally': 5,
      'ors.socially': 3,
      'ors.overall': 6,
    })
    const wrongTotal = { ...orsPayload(client.id, episode.id), total: 1 }
    const missing = orsPayload(client.id, episode.id, {
      'ors.individually': null,
      'ors.interpersonally': 5,
      'ors.socially': 3,
      'ors.overall': 6,
    })
    const res = await push(
      world.pia,
      device.body([
        ...ops,
        device.op('administration', 'create', outOfRange),
        device.op('administration', 'create', wrongTotal),
        device.op('administration', 'create', missing),
      ]),
    )
    expect(res?.statusCode).toBe(200)
    const results = res?.json().results as { status: string; reason?: string }[]
    expect(results.slice(3).map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(results[3]?.reason).toMatch(/out-of-range/)
    expect(results[4]?.reason).toMatch(/total/)
    expect(results[5]?.reason).toMatch(/missing-item/)
    expect(res?.json().ackedThrough).toBe(6)
    expect((await pullAll(world.pia))?.changes).toHaveLength(3)
  })

  it('S10: a correction from the current version applies and supersedes it', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops, ors } = caseOps(device, world.pia.personId)
    await push(world.pia, device.body(ops))
    const fixed = {
      ...orsPayload(ors.clientId, ors.episodeId, { ...ors.items, 'ors.overall': 7.1 }),
      versionOf: ors.id,
      supersedes: ors.id,
      correctionReason: 'typo',
    }
    const res = await push(
      world.pia,
      device.body([device.op('administration', 'correct', fixed, ors.id)]),
    )
    expect(res?.json().results[0]).toMatchObject({ status: 'applied' })
    const changes = (await pullAll(world.pia))?.changes ?? []
    expect(changes.find((c) => c.id === ors.id)?.supersededBy).toBe(fixed.id)
    expect(changes.find((c) => c.id === fixed.id)?.supersededBy).toBeNull()
  })

  it('S10: a correction from an outdated version loses to the server version and is kept as a conflict', async () => {
    const { world } = await setup()
    const tablet = new Device()
    const { ops, ors } = caseOps(tablet, world.pia.personId)
    await push(world.pia, tablet.body(ops))
    const correction = (overall: number) => ({
      ...orsPayload(ors.clientId, ors.episodeId, { ...ors.items, 'ors.overall': overall }),
      versionOf: ors.id,
      supersedes: ors.id,
      correctionReason: 'typo',
    })
    const first = correction(7.1)
    await push(world.pia, tablet.body([tablet.op('administration', 'correct', first, ors.id)]))
    // A second device corrects the same original version later: the server already moved on.
    const phone = new Device()
    const late = correction(2.2)
    const piaPhone = await login(server?.app as FastifyInstance, 'pia', PASSWORD, 'phone')
    const res = await push(
      piaPhone,
      phone.body([phone.op('administration', 'correct', late, ors.id)]),
    )
    expect(res?.statusCode).toBe(200)
    expect(res?.json().results[0]).toMatchObject({ status: 'conflict', serverVersion: first.id })
    const ids = ((await pullAll(world.pia))?.changes ?? []).map((c) => c.id)
    expect(ids).toContain(first.id)
    expect(ids).not.toContain(late.id)
  })

  it('S11: a void is a tombstone that pull returns, and it never changes the scores', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops, ors } = caseOps(device, world.pia.personId)
    await push(world.pia, device.body(ops))
    const voided = {
      ...ors,
      items: { ...ors.items, 'ors.overall': 0 },
      voided: { reason: 'wrong client', at: '2026-11-21T09:00:00.000Z' },
    }
    const res = await push(world.pia, device.body([device.op('administration', 'void', voided)]))
    expect(res?.json().results[0]).toMatchObject({ status: 'applied' })
    const pulled = await server?.app.inject({
      method: 'GET',
      url: '/api/sync/pull',
      headers: world.pia.headers,
    })
    const change = pulled
      ?.json<{
        changes: { id: string; voided: boolean; payload: { items: Record<string, number> } }[]
      }>()
      .changes.find((c) => c.id === ors.id)
    expect(change?.voided).toBe(true)
    expect(change?.payload.items['ors.overall']).toBe(6.1)
  })

  it('S16/S19: a push changing a stranger’s client changes nothing and is answered as an id in use, not 403', async () => {
    const { world } = await setup()
    const piaTablet = new Device()
    const { ops, client } = caseOps(piaTablet, world.pia.personId)
    await push(world.pia, piaTablet.body(ops))
    const olaTablet = new Device()
    const sneaky = {
      ...client,
      code: 'X-9',
      codeSearch: 'x-9',
      practitionerIds: [world.ola.personId],
    }
    const res = await push(world.ola, olaTablet.body([olaTablet.op('client', 'update', sneaky)]))
    expect(res?.statusCode).toBe(200)
    expect(res?.json().results).toMatchObject([{ status: 'rejected', reason: 'already_exists' }])
    const pia = await pullAll(world.pia)
    expect(pia?.changes.map((c) => c.id)).toContain(client.id)
    const stored = pia?.changes.find((c) => c.id === client.id) as { payload?: { code: string } }
    expect(stored.payload?.code).toBe('K-1')
    expect((await pullAll(world.ola))?.changes).toEqual([])
  })

  it('S17: a device clock off by more than five minutes gets a clockSkewMs warning, not a rejection', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops } = caseOps(device, world.pia.personId)
    const sentAt = new Date(Date.now() - 60 * 60 * 1000).toISOString()
    const res = await push(world.pia, device.body(ops, { sentAt }))
    expect(res?.statusCode).toBe(200)
    expect(res?.json().clockSkewMs).toBeLessThan(-59 * 60 * 1000)
    const ok = await push(world.pia, device.body([], { sentAt: new Date().toISOString() }))
    expect(ok?.json().clockSkewMs).toBeUndefined()
  })

  it('S17: push and pull answers carry the server clock, so a device can measure its own', async () => {
    const { world } = await setup()
    const device = new Device()
    const before = Date.now()
    const pushed = await push(world.pia, device.body(caseOps(device, world.pia.personId).ops))
    const pulled = await pullAll(world.pia)
    const after = Date.now()
    for (const answer of [pushed?.json<{ serverTime: string }>(), pulled]) {
      const at = Date.parse(answer?.serverTime ?? '')
      expect(at).toBeGreaterThanOrEqual(before)
      expect(at).toBeLessThanOrEqual(after)
    }
  })

  it('S18: a device session is bound to the first device id it pushes', async () => {
    const { world } = await setup()
    const device = new Device()
    await push(world.pia, device.body(caseOps(device, world.pia.personId).ops))
    const other = new Device()
    const res = await push(world.pia, other.body(caseOps(other, world.pia.personId).ops))
    expect(res?.statusCode).toBe(403)
    expect(res?.json()).toMatchObject({ error: 'device_not_yours' })
  })

  it('S1: an unsupported protocol version gets 426 update_required with minimum and current', async () => {
    const { world } = await setup()
    const device = new Device()
    const body = { ...device.body(caseOps(device, world.pia.personId).ops), protocolVersion: 9 }
    const res = await push(world.pia, body)
    expect(res?.statusCode).toBe(426)
    expect(res?.json()).toEqual({
      error: 'update_required',
      message: expect.any(String),
      minimum: 1,
      current: 2,
    })
    const pull = await server?.app.inject({
      method: 'GET',
      url: '/api/sync/pull',
      headers: { ...world.pia.headers, 'x-linja-protocol': '0' },
    })
    expect(pull?.statusCode).toBe(426)
  })

  it('S7: a refusal names the operation and the field against the core schemas, never the value', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops } = caseOps(device, world.pia.personId)
    const [client, episode, form] = ops
    const cases: [unknown, string][] = [
      [{ ...form, createdAt: 'yesterday' }, 'Operation seq 3: createdAt'],
      [{ ...form, payload: { ...form.payload, session: 0 } }, 'administration payload /session'],
      [
        { ...form, payload: { ...form.payload, rater: 'neighbour' } },
        'administration payload /rater',
      ],
      [{ ...client, payload: { ...client.payload, code: '' } }, 'client payload /code'],
      [{ ...form, entity: 'episode' }, 'Operation seq 3: episode payload'],
    ]
    for (const [bad, named] of cases) {
      const res = await push(world.pia, device.body([client, episode, bad]))
      expect(res?.statusCode, named).toBe(400)
      expect(res?.json().error, named).toBe('invalid_operation')
      expect(res?.json().message, named).toContain(named)
      expect(res?.json().message).not.toMatch(/neighbour|yesterday/)
    }
    expect((await pullAll(world.pia))?.changes).toHaveLength(0)
  })

  it('S7: a malformed operation refuses the whole push with 400 and stores nothing', async () => {
    const { world } = await setup()
    const device = new Device()
    const { ops } = caseOps(device, world.pia.personId)
    const bad = { ...ops[2], payload: { ...ops[2]?.payload, extra: 'field' } }
    const res = await push(world.pia, device.body([ops[0], ops[1], bad]))
    expect(res?.statusCode).toBe(400)
    expect(res?.json()).toMatchObject({ error: 'invalid_operation' })
    expect((await pullAll(world.pia))?.changes).toHaveLength(0)
    const tooMany = Array.from({ length: 501 }, (_, i) => ({
      ...ops[0],
      seq: i + 1,
      opId: randomUUID(),
    }))
    const big = await push(world.pia, device.body(tooMany))
    expect(big?.statusCode).toBe(400)
  })
})
