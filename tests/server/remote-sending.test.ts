import { afterEach, describe, expect, it } from 'vitest'
import {
  appOn,
  backends,
  createTestDatabase,
  pgAvailable,
  type TestDatabase,
} from './support/backends.ts'
import { rawRows } from './support/raw-sql.ts'
import {
  answer,
  clientOf,
  eventually,
  linkBody,
  linksOf,
  publicCall,
  sendLink,
  smsGateway,
  smtpServer,
  tokenOf,
} from './support/remote.ts'
import { makeWorld } from './support/world.ts'

describe.each(backends())('sending remote links (%s)', (backend) => {
  const closers: (() => Promise<void>)[] = []
  let clock = Date.now()
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  async function start(env: Record<string, string>) {
    clock = Date.now()
    const database: TestDatabase = await createTestDatabase(backend)
    closers.push(database.drop)
    const server = await appOn(database, env, { now: () => clock, remoteDeliveryTickMs: 20 })
    closers.push(server.close)
    return { app: server.app, database, world: await makeWorld(server.app) }
  }

  it('an SMS gateway that fails and then recovers: the link works meanwhile, the practitioner sees the failure, the retry sends it and the number is erased', async () => {
    const answers = [500, 200]
    const gateway = await smsGateway(() => answers.shift() ?? 200)
    closers.push(gateway.close)
    const { app, database, world } = await start({
      SMS_GATEWAY_URL: gateway.url,
      SMS_GATEWAY_TOKEN: 'gateway-secret',
      SMS_SENDER: 'Kommunen',
      PUBLIC_URL: 'https://linja.kommune.example',
    })
    const channels = await app.inject({
      method: 'GET',
      url: '/api/remote-links/channels',
      headers: world.pia.headers,
    })
    expect(channels.json()).toEqual({ email: false, sms: true })
    const { client, episode, code: clientCode } = await clientOf(app, world.pia)
    const created = await sendLink(
      app,
      world.pia,
      linkBody(
        client.id,
        episode.id,
        { channel: 'sms', to: '+47 912 34 567', code: 'tell' },
        { locale: 'en' },
      ),
    )
    const failed = await eventually(
      async () => (await linksOf(app, world.pia, client.id))[0]?.deliveries[0],
      (d) => d?.attempts === 1,
    )
    expect(failed).toMatchObject({
      kind: 'link',
      status: 'pending',
      lastError: 'The SMS gateway did not take the message (HTTP 500).',
    })
    expect(failed?.lastError).not.toContain('912')
    // The link itself is not lost: the practitioner can still give the short code and code.
    expect((await publicCall(app, 'status', { shortCode: created.shortCode })).statusCode).toBe(200)
    expect(gateway.requests).toHaveLength(1)

    clock += 31_000
    const sent = await eventually(
      async () => (await linksOf(app, world.pia, client.id))[0]?.deliveries[0],
      (d) => d?.status === 'sent',
    )
    expect(sent).toMatchObject({ attempts: 2, lastError: null })
    expect(gateway.requests).toHaveLength(2)
    const request = gateway.requests[1]
    expect(request?.authorization).toBe('Bearer gateway-secret')
    expect(request?.body).toEqual({
      to: '+47 912 34 567',
      from: 'Kommunen',
      text: expect.any(String),
    })
    expect(request?.body.text).toContain(created.url)
    expect(request?.body.text).toMatch(/^Linja asks you to fill in a short form/)
    expect(request?.body.text).not.toContain(clientCode)
    expect(request?.body.text).not.toContain(created.code)
    const rows = await rawRows(database, 'select sealed_message from remote_deliveries', [])
    expect(rows).toEqual([{ sealed_message: null }])
  })

  it('a gateway that never takes the message is given up after the last try, with words; the link still answers', async () => {
    const gateway = await smsGateway(() => 503)
    closers.push(gateway.close)
    const { app, world } = await start({
      SMS_GATEWAY_URL: gateway.url,
      SMS_GATEWAY_TOKEN: 'gateway-secret',
      SMS_SENDER: 'Kommunen',
      PUBLIC_URL: 'https://linja.kommune.example',
    })
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(
      app,
      world.pia,
      linkBody(client.id, episode.id, { channel: 'sms', to: '+4791234567', code: 'tell' }),
    )
    for (let attempt = 1; attempt <= 5; attempt++) {
      // The clock moves only once the failed try is written down with its time for the next.
      await eventually(
        async () => (await linksOf(app, world.pia, client.id))[0]?.deliveries[0]?.attempts,
        (n) => n === attempt,
      )
      clock += 3 * 3_600_000
    }
    const given = await eventually(
      async () => (await linksOf(app, world.pia, client.id))[0]?.deliveries[0],
      (d) => d?.status === 'failed',
    )
    expect(given).toMatchObject({
      attempts: 6,
      lastError: 'The SMS gateway did not take the message (HTTP 503).',
    })
    expect(gateway.requests).toHaveLength(6)
    expect((await answer(app, tokenOf(created.url), created.code)).statusCode).toBe(201)
  })

  it('an e-mail server that cannot be reached: the practitioner reads why, without the address, and the link still works', async () => {
    const { app, world } = await start({
      // Port 9 (discard) is closed here: the connection is refused at once.
      SMTP_URL: 'smtp://127.0.0.1:9',
      SMTP_FROM: 'linja@kommune.example',
      PUBLIC_URL: 'https://linja.kommune.example',
    })
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(
      app,
      world.pia,
      linkBody(client.id, episode.id, { channel: 'email', to: 'hidden@example.no', code: 'tell' }),
    )
    const failed = await eventually(
      async () => (await linksOf(app, world.pia, client.id))[0]?.deliveries[0],
      (d) => d?.attempts === 1,
    )
    expect(failed).toMatchObject({
      status: 'pending',
      lastError: 'Could not reach the e-mail server.',
    })
    const listed = await app.inject({
      method: 'GET',
      url: `/api/remote-links?clientId=${client.id}`,
      headers: world.pia.headers,
    })
    expect(listed.body).not.toContain('hidden@example.no')
    expect((await answer(app, tokenOf(created.url), created.code)).statusCode).toBe(201)
  })

  it('one reminder by e-mail to the address given again, carrying the same link; a second is refused; a shown link has none', async () => {
    const smtp = await smtpServer()
    closers.push(smtp.close)
    const { app, world } = await start({
      SMTP_URL: smtp.url,
      SMTP_FROM: 'linja@kommune.example',
      PUBLIC_URL: 'https://linja.kommune.example',
    })
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(
      app,
      world.pia,
      linkBody(
        client.id,
        episode.id,
        { channel: 'email', to: 'a@example.no', code: 'tell' },
        { locale: 'nn' },
      ),
    )
    await eventually(
      async () => smtp.mails.length,
      (n) => n === 1,
    )
    expect(smtp.mails[0]?.subject).toBe('Skjema frå Linja')
    const remind = (to: string) =>
      app.inject({
        method: 'POST',
        url: `/api/remote-links/${created.link.id}/remind`,
        headers: world.pia.headers,
        payload: { to },
      })
    expect((await remind('not-an-address')).json()).toMatchObject({ error: 'delivery_invalid' })
    const first = await remind('a@example.no')
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json().link.reminderSentAt).toEqual(expect.any(String))
    await eventually(
      async () => smtp.mails.length,
      (n) => n === 2,
    )
    expect(smtp.mails[1]?.subject).toBe('Påminning: skjema frå Linja')
    expect(smtp.mails[1]?.text).toContain(created.url)
    const second = await remind('a@example.no')
    expect(second.statusCode).toBe(409)
    expect(second.json()).toMatchObject({ error: 'reminder_already_sent' })

    const shown = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const none = await app.inject({
      method: 'POST',
      url: `/api/remote-links/${shown.link.id}/remind`,
      headers: world.pia.headers,
      payload: { to: 'a@example.no' },
    })
    expect(none.statusCode).toBe(409)
    expect(none.json()).toMatchObject({ error: 'reminder_not_possible' })
  })

  it('a channel the server has not set up is refused (409 channel_off); show refuses an address; e-mail needs one', async () => {
    const { app, world } = await start({})
    const channels = await app.inject({
      method: 'GET',
      url: '/api/remote-links/channels',
      headers: world.pia.headers,
    })
    expect(channels.json()).toEqual({ email: false, sms: false })
    const { client, episode } = await clientOf(app, world.pia)
    const cases: [Record<string, unknown>, number, string][] = [
      [{ channel: 'email', to: 'a@example.no', code: 'tell' }, 409, 'channel_off'],
      [{ channel: 'sms', to: '+4791234567', code: 'message' }, 409, 'channel_off'],
      [{ channel: 'show', to: 'a@example.no', code: 'tell' }, 400, 'delivery_invalid'],
      [{ channel: 'show', code: 'message' }, 400, 'delivery_invalid'],
      [{ channel: 'email', code: 'tell' }, 400, 'delivery_invalid'],
    ]
    for (const [delivery, status, error] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/remote-links',
        headers: world.pia.headers,
        payload: linkBody(client.id, episode.id, delivery),
      })
      expect([JSON.stringify(delivery), res.statusCode, res.json().error]).toEqual([
        JSON.stringify(delivery),
        status,
        error,
      ])
    }
    const shown = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    // Without PUBLIC_URL a shown link uses the address the tablet reached the server at.
    expect(shown.url).toMatch(/^http:\/\/localhost(:\d+)?\/r\/#[A-Za-z0-9_-]{43}$/)
    expect(shown.shortCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/)
    expect(shown.code).toMatch(/^\d{6}$/)
    expect(await linksOf(app, world.pia, client.id)).toHaveLength(1)
  })
})

describe.skipIf(!pgAvailable())('sending remote links from two instances on one PostgreSQL', () => {
  const closers: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })

  it('each message is sent exactly once, whichever instance claims it', async () => {
    const smtp = await smtpServer()
    closers.push(smtp.close)
    const database = await createTestDatabase('postgres')
    closers.push(database.drop)
    const env = {
      SMTP_URL: smtp.url,
      SMTP_FROM: 'linja@kommune.example',
      PUBLIC_URL: 'https://linja.kommune.example',
    }
    // Both look for due messages every few milliseconds, so they race for every row.
    const [a, b] = await Promise.all([
      appOn(database, env, { remoteDeliveryTickMs: 3 }),
      appOn(database, env, { remoteDeliveryTickMs: 3 }),
    ])
    closers.push(a.close, b.close)
    const world = await makeWorld(a.app)
    const { client, episode } = await clientOf(a.app, world.pia)
    const urls: string[] = []
    for (let i = 0; i < 12; i++) {
      const app = i % 2 === 0 ? a.app : b.app
      const created = await sendLink(
        app,
        world.pia,
        linkBody(client.id, episode.id, {
          channel: 'email',
          to: `k${i}@example.no`,
          code: 'message',
        }),
      )
      urls.push(created.url)
    }
    await eventually(
      async () => (await linksOf(a.app, world.pia, client.id)).flatMap((l) => l.deliveries),
      (ds) => ds.length === 24 && ds.every((d) => d.status === 'sent'),
      15_000,
    )
    expect(smtp.mails).toHaveLength(24)
    for (const url of urls) {
      expect(smtp.mails.filter((m) => m.text.includes(url))).toHaveLength(1)
    }
  })
})
