// S21: a device id belongs to the tablet that first pushed with it; another person naming it is refused with 403.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { OpResult } from '../../src/core/sync-protocol.ts'
import { backends } from './support/backends.ts'
import { fingerprint } from './support/db-fingerprint.ts'
import { freshWorlds } from './support/fresh-world.ts'
import { caseOps, Device } from './support/ops.ts'
import { login, PASSWORD, type Session } from './support/world.ts'

const newKey = () => randomBytes(32).toString('base64url')

describe.each(backends())('device ids belong to their tablet (%s)', (backend) => {
  const setup = freshWorlds(backend)

  async function push(app: FastifyInstance, s: Session, body: unknown) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: s.headers,
      payload: body as Record<string, unknown>,
    })
    return { status: res.statusCode, body: res.json<{ error?: string; results?: OpResult[] }>() }
  }

  /** The same tablet id with another key and its own seq counter: what an intruder can make up. */
  const impostor = (tablet: Device, key: string | undefined, seq: number) => {
    const copy = new Device(tablet.deviceId).withKey(key)
    copy.seq = seq
    return copy
  }

  it('S21: another practitioner pushing with a tablet’s device id gets 403 device_not_yours, changes nothing, and the tablet keeps syncing', async () => {
    const { app, world, database: db } = await setup()
    const tablet = new Device().withKey(newKey())
    expect(
      (await push(app, world.pia, tablet.body(caseOps(tablet, world.pia.personId).ops))).status,
    ).toBe(200)
    const ola = await login(app, 'ola', PASSWORD)
    const before = await fingerprint(db)

    for (const [key, seq] of [
      [undefined, 3],
      [newKey(), 3],
      [newKey(), 0],
    ] as const) {
      const fake = impostor(tablet, key, seq)
      const res = await push(app, ola, fake.body(caseOps(fake, world.ola.personId, 'O-1').ops))
      expect(res.status, `key ${key ? 'wrong' : 'missing'}, seq ${seq + 1}`).toBe(403)
      expect(res.body.error).toBe('device_not_yours')
    }
    expect(await fingerprint(db)).toEqual(before)

    // Seq 4 is still free for the tablet: no seq_reused.
    const next = await push(
      app,
      world.pia,
      tablet.body(caseOps(tablet, world.pia.personId, 'K-2').ops),
    )
    expect(next.status).toBe(200)
    expect(next.body.results?.map((r) => [r.seq, r.status])).toEqual([
      [4, 'applied'],
      [5, 'applied'],
      [6, 'applied'],
    ])
  })

  it('S21: a device id pushed by an app from before S21 (no key) stays its practitioners’; only one of them may bind it', async () => {
    const { app, world } = await setup()
    const tablet = new Device()
    await push(app, world.pia, tablet.body(caseOps(tablet, world.pia.personId).ops))
    for (const key of [undefined, newKey()]) {
      const fake = impostor(tablet, key, 3)
      const res = await push(app, world.ola, fake.body(caseOps(fake, world.ola.personId).ops))
      expect(res.status).toBe(403)
      expect(res.body.error).toBe('device_not_yours')
    }
    // The updated app on pia's tablet binds its id; from then on the key is needed.
    tablet.withKey(newKey())
    expect(
      (await push(app, world.pia, tablet.body(caseOps(tablet, world.pia.personId).ops))).status,
    ).toBe(200)
    const keyless = impostor(tablet, undefined, tablet.seq)
    const refused = await push(
      app,
      world.pia,
      keyless.body(caseOps(keyless, world.pia.personId).ops),
    )
    expect(refused.status).toBe(403)
  })

  it('S21: one tablet shared by two practitioners, signing in again and refreshing, keeps one device id and one numbering', async () => {
    const { app, world } = await setup()
    const tablet = new Device().withKey(newKey())
    const turns: [string, Session][] = [
      ['pia', world.pia],
      ['ola', world.ola],
      ['pia', await login(app, 'pia', PASSWORD)],
    ]
    for (const [name, session] of turns) {
      const res = await push(app, session, tablet.body(caseOps(tablet, session.personId).ops))
      expect(res.status, name).toBe(200)
      expect(res.body.results?.every((r) => r.status === 'applied')).toBe(true)
    }
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: world.ola.refreshToken },
    })
    expect(refreshed.statusCode).toBe(200)
    const token = refreshed.json<{ accessToken: string }>().accessToken
    const after = await push(
      app,
      { ...world.ola, headers: { authorization: `Bearer ${token}`, 'x-linja-protocol': '1' } },
      tablet.body(caseOps(tablet, world.ola.personId).ops),
    )
    expect(after.status).toBe(200)
    expect(after.body.results?.map((r) => r.seq)).toEqual([10, 11, 12])
  })
})
