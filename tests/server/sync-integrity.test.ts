// Attacks on what a push may name (issue 14): correction chains (S10), ids one may not see (S19), units (S20).
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { OpResult } from '../../src/core/sync-protocol.ts'
import { backends } from './support/backends.ts'
import { freshWorlds } from './support/fresh-world.ts'
import type { TestOperation } from './support/ops.ts'
import { caseOps, Device, ORS_ITEMS, orsPayload } from './support/ops.ts'
import { rawSql } from './support/raw-sql.ts'
import { addPerson, login, PASSWORD, type Session } from './support/world.ts'

interface PushAnswer {
  statusCode: number
  body: { results?: OpResult[]; serverTime?: string; [key: string]: unknown }
}

describe.each(backends())('what a push may name (%s)', (backend) => {
  const setup = freshWorlds(backend)

  async function push(app: FastifyInstance, s: Session, body: unknown): Promise<PushAnswer> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: s.headers,
      payload: body as Record<string, unknown>,
    })
    return { statusCode: res.statusCode, body: res.json() }
  }

  async function pulled(app: FastifyInstance, s: Session) {
    const res = await app.inject({ method: 'GET', url: '/api/sync/pull', headers: s.headers })
    return res.json<{ changes: { id: string; payload: Record<string, unknown> }[] }>().changes
  }

  const outcome = (a: PushAnswer) => a.body.results?.map((r) => [r.status, r.reason ?? null])

  /** A supervisor who also practises, supervising pia: she reads pia's form ids. */
  async function addSofie(app: FastifyInstance, admin: Session, piaId: string) {
    await addPerson(app, admin, 'sofie', ['practitioner', 'supervisor'])
    const sofie = await login(app, 'sofie', PASSWORD)
    const link = await app.inject({
      method: 'POST',
      url: '/api/admin/supervision',
      headers: admin.headers,
      payload: { supervisorId: sofie.personId, practitionerId: piaId },
    })
    expect(link.statusCode).toBe(200)
    return sofie
  }

  function correction(
    device: Device,
    clientId: string,
    episodeId: string,
    first: string,
    base: string,
    overall: number,
  ): TestOperation {
    const payload = orsPayload(
      clientId,
      episodeId,
      { ...ORS_ITEMS, 'ors.overall': overall },
      { versionOf: first, supersedes: base, correctionReason: 'typed wrong' },
    )
    return device.op('administration', 'correct', payload, base)
  }

  it('S10: a supervisor’s form naming a supervisee’s form as its earlier version is rejected, and his corrections keep applying', async () => {
    const { app, world } = await setup()
    const piaTablet = new Device()
    const pia = caseOps(piaTablet, world.pia.personId)
    expect((await push(app, world.pia, piaTablet.body(pia.ops))).statusCode).toBe(200)
    const sofie = await addSofie(app, world.admin, world.pia.personId)
    expect((await pulled(app, sofie)).map((c) => c.id)).toContain(pia.ors.id)

    // Her own client and episode, then forms pointing into pia's chain.
    const sofieTablet = new Device()
    const own = caseOps(sofieTablet, sofie.personId, 'S-1')
    const hijack = orsPayload(own.client.id, own.episode.id, undefined, { versionOf: pia.ors.id })
    const hijackOp = sofieTablet.op('administration', 'create', hijack)
    const fakeBase = correction(
      sofieTablet,
      own.client.id,
      own.episode.id,
      pia.ors.id,
      pia.ors.id,
      9,
    )
    const attack = await push(app, sofie, sofieTablet.body([...own.ops, hijackOp, fakeBase]))
    expect(attack.statusCode).toBe(200)
    expect(outcome(attack)).toEqual([
      ['applied', null],
      ['applied', null],
      ['applied', null],
      ['rejected', 'invalid_version_chain'],
      ['rejected', 'unknown_base'],
    ])

    // Pia corrects her form twice; both apply, and pull shows her chain only.
    const first = correction(piaTablet, pia.client.id, pia.episode.id, pia.ors.id, pia.ors.id, 7)
    const second = correction(
      piaTablet,
      pia.client.id,
      pia.episode.id,
      pia.ors.id,
      first.entityId,
      8,
    )
    const fixes = await push(app, world.pia, piaTablet.body([first, second]))
    expect(outcome(fixes)).toEqual([
      ['applied', null],
      ['applied', null],
    ])
    const mine = await pulled(app, world.pia)
    expect(mine.map((c) => c.id)).not.toContain(hijack.id)
    expect(mine.find((c) => c.id === first.entityId)?.payload.supersededBy).toBe(second.entityId)
  })

  it('S10: a chain’s head is its own client’s and owner’s newest open version, even with a foreign row written before chains were checked', async () => {
    const { app, world, database } = await setup()
    const piaTablet = new Device()
    const pia = caseOps(piaTablet, world.pia.personId)
    await push(app, world.pia, piaTablet.body(pia.ops))
    const sofie = await addSofie(app, world.admin, world.pia.personId)
    const sofieTablet = new Device()
    const own = caseOps(sofieTablet, sofie.personId, 'S-1')
    expect((await push(app, sofie, sofieTablet.body(own.ops))).statusCode).toBe(200)
    // An older server let her form join pia's chain.
    await rawSql(database, 'update records set chain_id = ? where id = ?', [pia.ors.id, own.ors.id])

    const ids: string[] = [pia.ors.id]
    for (const overall of [7, 8, 9]) {
      const base = ids.at(-1) ?? pia.ors.id
      const fix = correction(piaTablet, pia.client.id, pia.episode.id, pia.ors.id, base, overall)
      const answer = await push(app, world.pia, piaTablet.body([fix]))
      expect(outcome(answer), `correction to ${overall}`).toEqual([['applied', null]])
      ids.push(fix.entityId)
    }
  })

  it('S10: only the practitioner who made a form corrects it, naming its own chain', async () => {
    const { app, world } = await setup()
    const piaTablet = new Device()
    const pia = caseOps(piaTablet, world.pia.personId)
    // The client is shared with ola, who may write it but did not make the form.
    pia.client.practitionerIds = [world.pia.personId, world.ola.personId]
    await push(app, world.pia, piaTablet.body(pia.ops))
    const olaTablet = new Device()
    const olaFix = correction(olaTablet, pia.client.id, pia.episode.id, pia.ors.id, pia.ors.id, 2)
    expect(outcome(await push(app, world.ola, olaTablet.body([olaFix])))).toEqual([
      ['rejected', 'chain_of_another_practitioner'],
    ])
    const wrongChain = correction(
      piaTablet,
      pia.client.id,
      pia.episode.id,
      randomUUID(),
      pia.ors.id,
      3,
    )
    const rightChain = correction(
      piaTablet,
      pia.client.id,
      pia.episode.id,
      pia.ors.id,
      pia.ors.id,
      4,
    )
    expect(outcome(await push(app, world.pia, piaTablet.body([wrongChain, rightChain])))).toEqual([
      ['rejected', 'invalid_version_chain'],
      ['applied', null],
    ])
  })

  it('S19: ids of another practitioner get byte for byte the answer of ids that do not exist', async () => {
    const { app, world } = await setup()
    const olaTablet = new Device()
    const ola = caseOps(olaTablet, world.ola.personId, 'O-1')
    await push(app, world.ola, olaTablet.body(ola.ops))
    const piaTablet = new Device()
    const pia = caseOps(piaTablet, world.pia.personId, 'P-1')
    await push(app, world.pia, piaTablet.body(pia.ops))

    /** Every way a push names an existing record, naming `client`, `episode` and `form`. */
    const probes = (device: Device, client: string, episode: string, form: string) => {
      const voided = {
        ...orsPayload(pia.client.id, pia.episode.id),
        id: form,
        voided: { reason: 'wrong client', at: '2026-11-20T11:00:00.000Z' },
      }
      return device.body([
        device.op('episode', 'create', { ...caseOps(new Device(), 'x').episode, clientId: client }),
        device.op('administration', 'create', orsPayload(client, pia.episode.id)),
        device.op('administration', 'create', orsPayload(pia.client.id, episode)),
        correction(device, pia.client.id, pia.episode.id, form, form, 7),
        device.op('administration', 'void', voided),
        device.op(
          'administration',
          'create',
          orsPayload(pia.client.id, pia.episode.id, undefined, { versionOf: form }),
        ),
      ])
    }
    const foreign = await push(
      app,
      await login(app, 'pia', PASSWORD),
      probes(new Device(), ola.client.id, ola.episode.id, ola.ors.id),
    )
    const unknown = await push(
      app,
      await login(app, 'pia', PASSWORD),
      probes(new Device(), randomUUID(), randomUUID(), randomUUID()),
    )
    const comparable = (a: PushAnswer) =>
      JSON.stringify({
        status: a.statusCode,
        ...a.body,
        serverTime: undefined,
        results: a.body.results?.map((r) => ({ ...r, opId: undefined })),
      })
    expect(foreign.statusCode).toBe(200)
    expect(comparable(foreign)).toBe(comparable(unknown))
    expect(outcome(foreign)).toEqual([
      ['rejected', 'unknown_client'],
      ['rejected', 'unknown_client'],
      ['rejected', 'unknown_episode'],
      ['rejected', 'unknown_base'],
      ['rejected', 'unknown_record'],
      ['rejected', 'invalid_version_chain'],
    ])
    // Ola's records are as they were.
    const olaNow = await pulled(app, world.ola)
    expect(olaNow.map((c) => c.id).sort()).toEqual(
      [ola.client.id, ola.episode.id, ola.ors.id].sort(),
    )
    expect(olaNow.find((c) => c.id === ola.ors.id)?.payload.voided).toBeNull()
  })

  it('S20: a client goes only into one of the practitioner’s own units that exists and is not retired', async () => {
    const { app, world } = await setup()
    const unit = async (name: string) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/admin/units',
        headers: world.admin.headers,
        payload: { name },
      })
      return res.json<{ id: string }>().id
    }
    const north = await unit('Nord')
    const south = await unit('Sør')
    const old = await unit('Gammel')
    const member = await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${world.pia.personId}`,
      headers: world.admin.headers,
      payload: { unitIds: [north, old] },
    })
    expect(member.statusCode).toBe(200)
    await app.inject({
      method: 'POST',
      url: `/api/admin/units/${old}/retire`,
      headers: world.admin.headers,
    })

    const tablet = new Device()
    const inUnit = (unitId: string, code: string) => ({
      ...caseOps(new Device(), world.pia.personId, code).client,
      unitId,
    })
    const theirs = inUnit(south, 'A-1')
    const nowhere = inUnit(`unit-${randomUUID()}`, 'A-2')
    const retired = inUnit(old, 'A-3')
    const good = inUnit(north, 'A-4')
    const create = await push(
      app,
      world.pia,
      tablet.body([
        tablet.op('client', 'create', theirs),
        tablet.op('client', 'create', nowhere),
        tablet.op('client', 'create', retired),
        tablet.op('client', 'create', good),
        tablet.op('client', 'update', { ...good, unitId: south }),
        tablet.op('client', 'update', { ...good, code: 'A-5', codeSearch: 'a-5' }),
      ]),
    )
    expect(outcome(create)).toEqual([
      ['rejected', 'unit_not_allowed'],
      ['rejected', 'unit_not_allowed'],
      ['rejected', 'unit_not_allowed'],
      ['applied', null],
      ['rejected', 'unit_not_allowed'],
      ['applied', null],
    ])
    const mine = await pulled(app, world.pia)
    expect(mine.map((c) => [c.id, c.payload.unitId, c.payload.code])).toEqual([
      [good.id, north, 'A-5'],
    ])

    // A colleague the client is shared with, in no unit, may update it as long as its unit stays.
    const shared = { ...good, code: 'A-5', codeSearch: 'a-5' }
    shared.practitionerIds = [world.pia.personId, world.ola.personId]
    await push(app, world.pia, tablet.body([tablet.op('client', 'update', shared)]))
    const olaTablet = new Device()
    const kept = await push(
      app,
      world.ola,
      olaTablet.body([
        olaTablet.op('client', 'update', { ...shared, birthYear: 1991 }),
        olaTablet.op('client', 'update', { ...shared, unitId: south }),
      ]),
    )
    expect(outcome(kept)).toEqual([
      ['applied', null],
      ['rejected', 'unit_not_allowed'],
    ])
  })
})
