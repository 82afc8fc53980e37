import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import {
  type Created,
  clientOf,
  linkBody,
  linksOf,
  publicCall,
  sendLink,
  tokenOf,
} from './support/remote.ts'
import { login, makeWorld, PASSWORD, type World } from './support/world.ts'

type Who = keyof World | 'nobody'

/** What each caller gets on pia's client and link: ola practises (not with pia's client); the rest lack the role. */
const EXPECTED: Record<Exclude<Who, 'pia'>, [number, string]> = {
  ola: [404, 'client_unknown'],
  vera: [403, 'forbidden'],
  lars: [403, 'forbidden'],
  admin: [403, 'forbidden'],
  nobody: [401, 'unauthorised'],
}

describe.each(backends())('remote links: who may send, list, revoke and remind (%s)', (backend) => {
  let server: TestServer
  let world: World
  let clientId: string
  let episodeId: string
  let link: Created
  beforeAll(async () => {
    server = await serverFor(backend, {
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMTP_FROM: 'linja@kommune.example',
      PUBLIC_URL: 'https://linja.kommune.example',
    })
    world = await makeWorld(server.app)
    const { client, episode } = await clientOf(server.app, world.pia)
    clientId = client.id
    episodeId = episode.id
    link = await sendLink(server.app, world.pia, linkBody(clientId, episodeId))
  })
  afterAll(async () => {
    await server.close()
  })

  const headers = (who: Who) => (who === 'nobody' ? {} : world[who].headers)
  const requests = () => [
    {
      what: 'send',
      method: 'POST' as const,
      url: '/api/remote-links',
      payload: linkBody(clientId, episodeId),
    },
    { what: 'list', method: 'GET' as const, url: `/api/remote-links?clientId=${clientId}` },
    { what: 'revoke', method: 'POST' as const, url: `/api/remote-links/${link.link.id}/revoke` },
    {
      what: 'remind',
      method: 'POST' as const,
      url: `/api/remote-links/${link.link.id}/remind`,
      payload: { to: 'klient@example.no' },
    },
  ]

  for (const who of Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]) {
    it(`${who} cannot send, list, revoke or remind on pia’s client, and nothing changes`, async () => {
      const [status, code] = EXPECTED[who]
      for (const request of requests()) {
        const res = await server.app.inject({ ...request, headers: headers(who) })
        // A link id someone may not act on is answered as an unknown link.
        const expected =
          status === 404 && request.what !== 'send' && request.what !== 'list'
            ? 'link_unknown'
            : code
        expect([request.what, res.statusCode, res.json().error]).toEqual([
          request.what,
          status,
          expected,
        ])
      }
      const links = await linksOf(server.app, world.pia, clientId)
      expect(links.map((l) => [l.id, l.state, l.deliveries.length])).toEqual([
        [link.link.id, 'waiting', 0],
      ])
      expect(
        (await publicCall(server.app, 'status', { token: tokenOf(link.url) })).statusCode,
      ).toBe(200)
    })
  }

  it('a client shared with ola (practitionerIds) lets ola see and revoke its links, as a push would let ola write it', async () => {
    const pia = await login(server.app, 'pia', PASSWORD, 'another tablet')
    const { client, episode, device } = await clientOf(server.app, pia)
    const shared = { ...client, practitionerIds: [world.pia.personId, world.ola.personId] }
    const push = await server.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: pia.headers,
      payload: device.body([device.op('client', 'update', shared)]),
    })
    expect(push.statusCode, push.body).toBe(200)
    const sent = await sendLink(server.app, world.pia, linkBody(client.id, episode.id))
    expect((await linksOf(server.app, world.ola, client.id)).map((l) => l.id)).toEqual([
      sent.link.id,
    ])
    const revoke = await server.app.inject({
      method: 'POST',
      url: `/api/remote-links/${sent.link.id}/revoke`,
      headers: world.ola.headers,
    })
    expect(revoke.statusCode).toBe(200)
  })

  it('the public routes need no sign-in but take nothing else: a practitioner’s token does not open a link without its code', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/remote/open',
      headers: world.pia.headers,
      payload: { token: tokenOf(link.url) },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: 'invalid_request' })
  })
})
