import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device, episodePayload } from './support/ops.ts'
import { makeWorld, type Session } from './support/world.ts'

const ENDED_AT = '2026-11-21T10:00:00.000Z'

// Generous: the machine running the suite may be busy, and each test builds a world of five people.
describe.each(backends())(
  'an episode ended by mistake and reopened (%s)',
  { timeout: 30_000 },
  (backend) => {
    let server: TestServer | undefined
    afterEach(async () => {
      await server?.close()
      server = undefined
    })

    async function setup() {
      server = await serverFor(backend)
      return await makeWorld(server.app)
    }

    const push = (s: Session, body: unknown) =>
      server?.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: s.headers,
        payload: body as Record<string, unknown>,
      })

    const pulledEpisode = async (s: Session, id: string) => {
      const res = await server?.app.inject({
        method: 'GET',
        url: '/api/sync/pull',
        headers: s.headers,
      })
      const changes = res?.json<{ changes: { id: string; payload: Record<string, unknown> }[] }>()
      return changes?.changes.find((c) => c.id === id)?.payload
    }

    const superviseeClient = async (s: Session) => {
      const res = await server?.app.inject({
        method: 'GET',
        url: '/api/supervision/supervisees',
        headers: s.headers,
      })
      return res?.json<{ clients: { code: string; closed: boolean }[] }[]>()[0]?.clients
    }

    it('accepts the end and the reopening with its reason, keeps both, and the supervisor sees it open again', async () => {
      const world = await setup()
      const device = new Device()
      const { ops, episode } = caseOps(device, world.pia.personId)
      expect((await push(world.pia, device.body(ops)))?.statusCode).toBe(200)
      const ended = { ...episode, endedAt: ENDED_AT, ending: 'unplanned', endStatus: 'red' }
      const end = await push(world.pia, device.body([device.op('episode', 'end', ended)]))
      expect(end?.json().results[0].status).toBe('applied')
      expect(await superviseeClient(world.vera)).toEqual([
        expect.objectContaining({ closed: true }),
      ])

      const reopened = {
        ...episode,
        reopenings: [
          {
            at: '2026-11-21T10:05:00.000Z',
            reason: 'Feil klient',
            endedAt: ENDED_AT,
            ending: 'unplanned',
          },
        ],
        updatedAt: '2026-11-21T10:05:00.000Z',
      }
      const res = await push(world.pia, device.body([device.op('episode', 'update', reopened)]))
      expect(res?.statusCode).toBe(200)
      expect(res?.json().results[0].status).toBe('applied')
      expect(await pulledEpisode(world.pia, episode.id)).toEqual(reopened)
      expect(await superviseeClient(world.vera)).toEqual([
        expect.objectContaining({ closed: false }),
      ])
    })

    it('refuses a reopening without a reason, with unknown fields or an unknown ending, and stores nothing', async () => {
      const world = await setup()
      const device = new Device()
      const { ops, episode } = caseOps(device, world.pia.personId)
      await push(world.pia, device.body(ops))
      const good = { at: ENDED_AT, reason: 'Feil', endedAt: ENDED_AT, ending: 'planned' }
      const bad = [
        { ...good, reason: '' },
        { ...good, ending: 'forgot' },
        { ...good, endedAt: 5 },
        { ...good, by: 'someone' },
        { ...good, reason: 'x'.repeat(501) },
      ]
      for (const reopening of bad) {
        const payload = { ...episode, reopenings: [reopening] }
        const res = await push(world.pia, device.body([device.op('episode', 'update', payload)]))
        expect(res?.statusCode, JSON.stringify(reopening)).toBe(400)
        expect(res?.json().error).toBe('invalid_operation')
        device.seq -= 1
      }
      expect(await pulledEpisode(world.pia, episode.id)).toEqual(episode)
    })

    it('lets neither another practitioner nor a supervisor reopen someone else’s episode', async () => {
      const world = await setup()
      const device = new Device()
      const { ops, episode } = caseOps(device, world.pia.personId)
      await push(world.pia, device.body(ops))
      const reopened = {
        ...episode,
        reopenings: [{ at: ENDED_AT, reason: 'Feil', endedAt: ENDED_AT, ending: null }],
      }
      // Another practitioner does not even know the client (S19); a supervisor may not push (S16).
      const stranger = new Device()
      const byOla = await push(
        world.ola,
        stranger.body([stranger.op('episode', 'update', reopened)]),
      )
      expect(byOla?.statusCode).toBe(200)
      expect(byOla?.json().results[0]).toMatchObject({
        status: 'rejected',
        reason: 'unknown_client',
      })
      const supervisor = new Device()
      const byVera = await push(
        world.vera,
        supervisor.body([supervisor.op('episode', 'update', reopened)]),
      )
      expect(byVera?.statusCode).toBe(403)
      expect(await pulledEpisode(world.pia, episode.id)).toEqual(episode)
      // An episode without the field, as outboxes written before reopening existed, still syncs.
      const older = episodePayload(String(episode.clientId))
      const res = await push(world.pia, device.body([device.op('episode', 'create', older)]))
      expect(res?.json().results[0].status).toBe('applied')
    })
  },
)
