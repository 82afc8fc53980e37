import { afterEach, describe, expect, it } from 'vitest'
import type { PulledChange } from '../../src/core/sync-protocol.ts'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { rawRows } from './support/raw-sql.ts'
import {
  answer,
  clientOf,
  eventually,
  linkBody,
  linksOf,
  ORS_MARKS,
  PROTOCOL_2,
  publicCall,
  sendLink,
  smtpServer,
  tokenOf,
} from './support/remote.ts'
import { makeWorld, type Session, type World } from './support/world.ts'

const HOUR = 3_600_000

describe.each(backends())('remote links (%s)', (backend) => {
  let database: TestDatabase | undefined
  const closers: (() => Promise<void>)[] = []
  let clock = Date.now()
  afterEach(async () => {
    // Newest first: the app closes before its database is dropped and the mail server stops.
    for (const close of closers.splice(0).reverse()) await close()
  })

  async function start(
    env: Record<string, string> = {},
  ): Promise<{ app: TestServer['app']; world: World }> {
    clock = Date.now()
    const db = await createTestDatabase(backend)
    database = db
    closers.push(db.drop)
    const server = await appOn(db, env, { now: () => clock, remoteDeliveryTickMs: 20 })
    closers.push(server.close)
    return { app: server.app, world: await makeWorld(server.app) }
  }

  async function pullAdministrations(app: TestServer['app'], who: Session) {
    const res = await app.inject({
      method: 'GET',
      url: '/api/sync/pull',
      headers: { ...who.headers, ...PROTOCOL_2 },
    })
    expect(res.statusCode, res.body).toBe(200)
    return res
      .json<{ changes: PulledChange[] }>()
      .changes.filter((c) => c.entity === 'administration')
  }

  it('e-mail: the client reads the link and code from the messages, opens the form, answers; the practitioner’s pull has the ORS, collected remotely, as theirs', async () => {
    const smtp = await smtpServer()
    closers.push(smtp.close)
    const { app, world } = await start({
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Linja <linja@kommune.example>',
      PUBLIC_URL: 'https://linja.kommune.example',
    })
    const { client, episode, code: clientCode } = await clientOf(app, world.pia, 'PH-77')
    const created = await sendLink(
      app,
      world.pia,
      linkBody(client.id, episode.id, {
        channel: 'email',
        to: 'klient@example.no',
        code: 'message',
      }),
    )
    await eventually(
      async () => smtp.mails.length,
      (n) => n === 2,
    )
    const [linkMail, codeMail] = [
      smtp.mails.find((m) => m.text.includes('/r/#')),
      smtp.mails.find((m) => !m.text.includes('/r/#')),
    ]
    expect(linkMail?.to).toBe('klient@example.no')
    expect(linkMail?.subject).toBe('Skjema fra Linja')
    // Only the organisation, the link or the code and the expiry: no client code, no form name.
    for (const mail of smtp.mails) {
      expect(mail.text).not.toContain(clientCode)
      expect(mail.text).not.toContain(client.id)
      expect(mail.text).not.toMatch(/ORS|SRS/)
    }
    const url =
      linkMail?.text.match(/https:\/\/linja\.kommune\.example\/r\/#[A-Za-z0-9_-]{43}/)?.[0] ?? ''
    expect(url).toBe(created.url)
    const code = codeMail?.text.match(/\b\d{6}\b/)?.[0] ?? ''
    expect(code).toBe(created.code)

    const token = tokenOf(url)
    const status = await publicCall(app, 'status', { token })
    expect(status.statusCode).toBe(200)
    expect(status.json()).toEqual({
      state: 'waiting',
      organisation: 'Linja',
      expiresAt: expect.any(String),
      locale: 'nb',
    })
    const opened = await publicCall(app, 'open', { token, code })
    expect(opened.statusCode, opened.body).toBe(200)
    const form = opened.json<{
      form: { instrumentId: string; items: { id: string; label: string }[] }
    }>().form
    expect(form.instrumentId).toBe('ORS')
    expect(form.items.map((i) => i.id)).toEqual(Object.keys(ORS_MARKS))
    const { formToken } = opened.json<{ formToken: string }>()
    const sent = await publicCall(app, 'answer', { token, formToken, items: ORS_MARKS })
    expect(sent.statusCode, sent.body).toBe(201)

    const forms = await pullAdministrations(app, world.pia)
    const remote = forms.filter((c) => c.payload.collectedBy === 'remote')
    expect(remote).toHaveLength(1)
    expect(remote[0]?.payload).toMatchObject({
      clientId: client.id,
      episodeId: episode.id,
      instrumentId: 'ORS',
      items: ORS_MARKS,
      total: 25.6,
      session: 2,
      rater: 'client',
      status: 'final',
      locale: 'nb',
    })
    const [owner] = await rawRows(
      database ?? never(),
      'select owner_id from records where id = ?',
      [remote[0]?.id ?? ''],
    )
    expect(owner?.owner_id).toBe(world.pia.personId)
    const [link] = await linksOf(app, world.pia, client.id)
    expect(link).toMatchObject({ state: 'completed', administrationId: remote[0]?.id })
    expect(link?.deliveries.map((d) => [d.kind, d.status])).toEqual([
      ['link', 'sent'],
      ['code', 'sent'],
    ])
    // The address and the text were erased once sent.
    const kept = await rawRows(
      database ?? never(),
      'select sealed_message from remote_deliveries where link_id = ?',
      [link?.id ?? ''],
    )
    expect(kept.map((r) => r.sealed_message)).toEqual([null, null])
    // The audit log says who sent a link for which client and how, never to what address.
    const audit = await app.inject({
      method: 'GET',
      url: '/api/admin/audit?action=remote_link_sent',
      headers: world.admin.headers,
    })
    expect(audit.json()).toHaveLength(1)
    expect(audit.json()[0]).toMatchObject({ actorId: world.pia.personId, target: client.id })
    expect(audit.body).not.toContain('klient@example.no')
  })

  it('a short code read out works like the link; a used link says so and a second answer makes no second form', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const shortCode = created.shortCode.toLowerCase().replace('-', ' ')
    expect((await publicCall(app, 'status', { shortCode })).statusCode).toBe(200)
    const opened = await publicCall(app, 'open', { shortCode, code: created.code })
    const { formToken } = opened.json<{ formToken: string }>()
    const first = await publicCall(app, 'answer', { shortCode, formToken, items: ORS_MARKS })
    expect(first.statusCode, first.body).toBe(201)
    const again = await publicCall(app, 'answer', { shortCode, formToken, items: ORS_MARKS })
    expect(again.statusCode).toBe(410)
    expect(again.json()).toMatchObject({ error: 'link_used' })
    const status = await publicCall(app, 'status', { token: tokenOf(created.url) })
    expect(status.statusCode).toBe(410)
    expect(status.json()).toMatchObject({ error: 'link_used', message: expect.any(String) })
    const remote = (await pullAdministrations(app, world.pia)).filter(
      (c) => c.payload.collectedBy === 'remote',
    )
    expect(remote).toHaveLength(1)
  })

  it('the client’s chosen language: the form’s wording comes in it, switching keeps the form token, and the answer records it; a language not offered is 400 and changes nothing', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const labels = (res: { json: <T>() => T }) =>
      res.json<{ form: { locale: string; items: { label: string }[] } }>().form
    const refused = await publicCall(app, 'open', { token, code: created.code, locale: 'de' })
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ error: 'locale_not_offered' })
    const opened = await publicCall(app, 'open', { token, code: created.code, locale: 'en' })
    expect(opened.statusCode, opened.body).toBe(200)
    expect(labels(opened).items.map((i) => i.label)).toContain('Personal')
    const { formToken } = opened.json<{ formToken: string }>()
    const nn = await publicCall(app, 'form', { token, formToken, locale: 'nn' })
    expect(nn.statusCode, nn.body).toBe(200)
    expect(labels(nn)).toMatchObject({ locale: 'nn' })
    expect(labels(nn).items.map((i) => i.label)).toContain('Personleg')
    const wrongToken = await publicCall(app, 'form', { token, formToken: token, locale: 'nn' })
    expect(wrongToken.json()).toMatchObject({ error: 'form_token_invalid' })
    const bad = await publicCall(app, 'answer', {
      token,
      formToken,
      items: ORS_MARKS,
      locale: 'de',
    })
    expect(bad.statusCode).toBe(400)
    expect((await publicCall(app, 'status', { token })).statusCode).toBe(200)
    const sent = await publicCall(app, 'answer', {
      token,
      formToken,
      items: ORS_MARKS,
      locale: 'nn',
    })
    expect(sent.statusCode, sent.body).toBe(201)
    const remote = (await pullAdministrations(app, world.pia)).filter(
      (c) => c.payload.collectedBy === 'remote',
    )
    expect(remote.map((c) => c.payload.locale)).toEqual(['nn'])
  })

  it('a form sent twice at the same moment (two tabs) makes exactly one administration', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const tabs = await Promise.all(
      [1, 2].map(() => publicCall(app, 'open', { token, code: created.code })),
    )
    const answers = await Promise.all(
      tabs.map((tab, i) =>
        publicCall(app, 'answer', {
          token,
          formToken: tab.json<{ formToken: string }>().formToken,
          items: { ...ORS_MARKS, 'ors.overall': 3 + i },
        }),
      ),
    )
    // The second open replaced the first tab's form token: at most one may send; never two forms.
    const codes = answers.map((a) => a.statusCode)
    expect(codes.filter((c) => c === 201)).toHaveLength(1)
    const remote = (await pullAdministrations(app, world.pia)).filter(
      (c) => c.payload.collectedBy === 'remote',
    )
    expect(remote).toHaveLength(1)
  })

  it('two answers with the same form token at once: one is taken, the other is told the link is used', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const opened = await publicCall(app, 'open', { token, code: created.code })
    const { formToken } = opened.json<{ formToken: string }>()
    const answers = await Promise.all(
      [4, 5].map((overall) =>
        publicCall(app, 'answer', {
          token,
          formToken,
          items: { ...ORS_MARKS, 'ors.overall': overall },
        }),
      ),
    )
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 410])
    expect(answers.find((a) => a.statusCode === 410)?.json()).toMatchObject({ error: 'link_used' })
    const remote = (await pullAdministrations(app, world.pia)).filter(
      (c) => c.payload.collectedBy === 'remote',
    )
    expect(remote).toHaveLength(1)
  })

  it('expiry follows the organisation’s setting: after it the page says expired and nothing can be sent', async () => {
    const { app, world } = await start()
    const set = await app.inject({
      method: 'GET',
      url: '/api/admin/settings',
      headers: world.admin.headers,
    })
    expect(set.json()).toMatchObject({ remoteLinkHours: 168 })
    for (const bad of [0, 721, 1.5]) {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/settings',
        headers: world.admin.headers,
        payload: { idleLockMinutes: 5, remoteLinkHours: bad },
      })
      expect(res.statusCode, String(bad)).toBe(400)
    }
    const put = await app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: world.admin.headers,
      payload: { idleLockMinutes: 5, remoteLinkHours: 2 },
    })
    expect(put.statusCode, put.body).toBe(200)
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    expect(Date.parse(created.link.expiresAt) - clock).toBe(2 * HOUR)
    const token = tokenOf(created.url)
    const opened = await publicCall(app, 'open', { token, code: created.code })
    const { formToken } = opened.json<{ formToken: string }>()
    clock += 2 * HOUR + 1000
    for (const call of [
      publicCall(app, 'status', { token }),
      publicCall(app, 'open', { token, code: created.code }),
      publicCall(app, 'answer', { token, formToken, items: ORS_MARKS }),
    ]) {
      const res = await call
      expect(res.statusCode).toBe(410)
      expect(res.json()).toMatchObject({ error: 'link_expired' })
    }
    const [link] = await linksOf(app, world.pia, client.id)
    expect(link?.state).toBe('expired')
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/remote-links/${link?.id}/revoke`,
      headers: world.pia.headers,
    })
    expect(revoke.statusCode).toBe(409)
    expect(revoke.json()).toMatchObject({ error: 'link_not_waiting' })
  })

  it('a revoked link shows nothing: status, open and answer say revoked', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const opened = await publicCall(app, 'open', { token, code: created.code })
    const { formToken } = opened.json<{ formToken: string }>()
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/remote-links/${created.link.id}/revoke`,
      headers: world.pia.headers,
    })
    expect(revoke.statusCode, revoke.body).toBe(200)
    expect(revoke.json()).toMatchObject({ link: { state: 'revoked' } })
    const audit = await app.inject({
      method: 'GET',
      url: '/api/admin/audit?action=remote_link_revoked',
      headers: world.admin.headers,
    })
    expect(audit.json()).toMatchObject([{ actorId: world.pia.personId, target: client.id }])
    for (const res of [
      await publicCall(app, 'status', { token }),
      await publicCall(app, 'open', { token, code: created.code }),
      await publicCall(app, 'answer', { token, formToken, items: ORS_MARKS }),
    ]) {
      expect(res.statusCode).toBe(410)
      expect(res.json()).toMatchObject({ error: 'link_revoked' })
      expect(Object.keys(res.json()).sort()).toEqual(['error', 'message'])
    }
    expect(
      (await pullAdministrations(app, world.pia)).some((c) => c.payload.collectedBy === 'remote'),
    ).toBe(false)
  })

  it('wrong codes: each says how many tries are left, the fifth ends the link, and then the right code opens nothing', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const wrong = created.code === '000000' ? '000001' : '000000'
    for (const left of [4, 3, 2, 1]) {
      const res = await publicCall(app, 'open', { token, code: wrong })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ error: 'code_wrong', attemptsLeft: left })
    }
    const fifth = await publicCall(app, 'open', { token, code: wrong })
    expect(fifth.statusCode).toBe(410)
    expect(fifth.json()).toMatchObject({ error: 'link_locked' })
    const right = await publicCall(app, 'open', { token, code: created.code })
    expect(right.statusCode).toBe(410)
    expect(right.json()).toMatchObject({ error: 'link_locked' })
    const [link] = await linksOf(app, world.pia, client.id)
    expect(link?.state).toBe('locked')
  })

  it('unknown tokens and short codes are 404 link_unknown; a token and a short code together, or neither, are 400', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const unknown = await publicCall(app, 'status', { token: 'A'.repeat(43) })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ error: 'link_unknown' })
    expect((await publicCall(app, 'status', { shortCode: '00000-00000' })).statusCode).toBe(404)
    const both = await publicCall(app, 'status', {
      token: tokenOf(created.url),
      shortCode: created.shortCode,
    })
    expect(both.statusCode).toBe(400)
    expect(both.json()).toMatchObject({ error: 'link_missing' })
    expect((await publicCall(app, 'status', {})).statusCode).toBe(400)
    // A public body is small: anything near the API's 1 MiB is refused before it is parsed.
    const big = await publicCall(app, 'answer', {
      token: tokenOf(created.url),
      filler: 'x'.repeat(9000),
    })
    expect(big.statusCode).toBe(413)
    expect(big.json()).toMatchObject({ error: 'too_large' })
    // A form token from no open, or from another link, sends nothing.
    const bad = await publicCall(app, 'answer', {
      token: tokenOf(created.url),
      formToken: 'B'.repeat(43),
      items: ORS_MARKS,
    })
    expect(bad.statusCode).toBe(401)
    expect(bad.json()).toMatchObject({ error: 'form_token_invalid' })
  })

  it('marks the core refuses (a line left out, out of the scale, an unknown item) are 400 items_invalid and the link still waits', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const { 'ors.overall': _left, ...three } = ORS_MARKS
    for (const items of [
      three,
      { ...ORS_MARKS, 'ors.overall': 10.5 },
      { ...ORS_MARKS, extra: 1 },
    ]) {
      const res = await answer(app, token, created.code, items)
      expect(res.statusCode).toBe(400)
      expect(res.json()).toMatchObject({ error: 'items_invalid' })
    }
    expect((await publicCall(app, 'status', { token })).statusCode).toBe(200)
  })

  it('a link for an ended episode is refused with 409 episode_ended', async () => {
    const { app, world } = await start()
    const { client, episode, device } = await clientOf(app, world.pia)
    const ended = { ...episode, endedAt: '2026-11-21T10:00:00.000Z', ending: 'planned' }
    const push = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: world.pia.headers,
      payload: device.body([device.op('episode', 'end', ended)]),
    })
    expect(push.statusCode, push.body).toBe(200)
    const res = await app.inject({
      method: 'POST',
      url: '/api/remote-links',
      headers: world.pia.headers,
      payload: linkBody(client.id, episode.id),
    })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ error: 'episode_ended' })
    expect(await linksOf(app, world.pia, client.id)).toEqual([])
  })

  it('a link whose episode is ended after it was sent says revoked, takes no answer, and the list says revoked', async () => {
    const { app, world } = await start()
    const { client, episode, device } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const opened = await publicCall(app, 'open', { token, code: created.code })
    const { formToken } = opened.json<{ formToken: string }>()
    const ended = { ...episode, endedAt: '2026-11-21T10:00:00.000Z', ending: 'planned' }
    const push = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: world.pia.headers,
      payload: device.body([device.op('episode', 'end', ended)]),
    })
    expect(push.statusCode, push.body).toBe(200)
    for (const res of [
      await publicCall(app, 'status', { token }),
      await publicCall(app, 'answer', { token, formToken, items: ORS_MARKS }),
    ]) {
      expect(res.statusCode).toBe(410)
      expect(res.json()).toMatchObject({ error: 'link_revoked' })
    }
    expect(
      (await pullAdministrations(app, world.pia)).some((c) => c.payload.collectedBy === 'remote'),
    ).toBe(false)
    expect((await linksOf(app, world.pia, client.id)).map((l) => l.state)).toEqual(['revoked'])
  })

  it('a link whose sender has left (deactivated, clients handed over) says revoked and takes no answer', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const token = tokenOf(created.url)
    const opened = await publicCall(app, 'open', { token, code: created.code })
    const { formToken } = opened.json<{ formToken: string }>()
    const off = await app.inject({
      method: 'POST',
      url: `/api/admin/people/${world.pia.personId}/deactivate`,
      headers: world.admin.headers,
    })
    expect(off.statusCode, off.body).toBe(200)
    const handover = await app.inject({
      method: 'POST',
      url: `/api/admin/people/${world.pia.personId}/handover`,
      headers: world.admin.headers,
      payload: { toPersonId: world.ola.personId },
    })
    expect(handover.statusCode, handover.body).toBe(200)
    for (const res of [
      await publicCall(app, 'status', { token }),
      await publicCall(app, 'answer', { token, formToken, items: ORS_MARKS }),
    ]) {
      expect(res.statusCode).toBe(410)
      expect(res.json()).toMatchObject({ error: 'link_revoked' })
    }
    expect(
      (await pullAdministrations(app, world.ola)).some((c) => c.payload.collectedBy === 'remote'),
    ).toBe(false)
  })

  it('the public routes are limited per address: the 31st status in a minute is 429 with Retry-After', async () => {
    const { app } = await start()
    // Another unknown token each time, so only the address is the same.
    const token = (i: number) => String(i).padStart(43, 'C')
    for (let i = 0; i < 30; i++) {
      expect((await publicCall(app, 'status', { token: token(i) })).statusCode).toBe(404)
    }
    const limited = await publicCall(app, 'status', { token: token(30) })
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({ error: 'rate_limited' })
    expect(limited.headers['retry-after']).toEqual(expect.any(String))
  })

  it('each link is limited too, whatever the address: its 21st request in a minute is 429, another link still answers', async () => {
    const { app, world } = await start({ TRUST_PROXY: '127.0.0.1' })
    const { client, episode } = await clientOf(app, world.pia)
    const one = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const other = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const from = (i: number) => ({ 'x-forwarded-for': `10.0.0.${i}` })
    for (let i = 0; i < 20; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/remote/status',
        headers: from(i),
        payload: { shortCode: one.shortCode },
      })
      expect(res.statusCode).toBe(200)
    }
    const limited = await app.inject({
      method: 'POST',
      url: '/api/remote/open',
      headers: from(99),
      payload: { shortCode: one.shortCode.toLowerCase(), code: one.code },
    })
    expect(limited.statusCode).toBe(429)
    expect(limited.json()).toMatchObject({ error: 'rate_limited' })
    const fine = await app.inject({
      method: 'POST',
      url: '/api/remote/status',
      headers: from(99),
      payload: { token: tokenOf(other.url) },
    })
    expect(fine.statusCode).toBe(200)
  })

  it('a version-1 app is told to update before it pulls a remote form it would drop; version 2 gets it', async () => {
    const { app, world } = await start()
    const { client, episode } = await clientOf(app, world.pia)
    const created = await sendLink(app, world.pia, linkBody(client.id, episode.id))
    const before = await app.inject({
      method: 'GET',
      url: '/api/sync/pull',
      headers: world.pia.headers,
    })
    expect(before.statusCode).toBe(200)
    expect((await answer(app, tokenOf(created.url), created.code)).statusCode).toBe(201)
    const v1 = await app.inject({
      method: 'GET',
      url: '/api/sync/pull',
      headers: world.pia.headers,
    })
    expect(v1.statusCode).toBe(426)
    expect(v1.json()).toMatchObject({ error: 'update_required', minimum: 2, current: 2 })
    expect(
      (await pullAdministrations(app, world.pia)).some((c) => c.payload.collectedBy === 'remote'),
    ).toBe(true)
  })
})

function never(): never {
  throw new Error('no server')
}
