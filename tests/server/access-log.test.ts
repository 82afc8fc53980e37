import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AccessLog, AccessLogEntry } from '../../src/core/access-log.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import {
  appOn,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from './support/backends.ts'
import { pushCases } from './support/seed.ts'
import { twoFactorClock } from './support/two-factor.ts'
import { login, makeWorld, PASSWORD, type Session, type World } from './support/world.ts'

type Who = keyof World
const ALL: Who[] = ['admin', 'pia', 'ola', 'vera', 'lars']
const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']

function get(app: FastifyInstance, who: Session | null, url: string) {
  return app.inject({ method: 'GET', url, ...(who ? { headers: who.headers } : {}) })
}

async function pullAll(app: FastifyInstance, who: Session, limit = 1000): Promise<string> {
  let cursor = ''
  for (;;) {
    const res = await get(
      app,
      who,
      `/api/sync/pull?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    )
    expect(res.statusCode).toBe(200)
    const page = res.json<{ cursor: string; hasMore: boolean }>()
    cursor = page.cursor
    if (!page.hasMore) return cursor
  }
}

describe.each(backends())('innsynslogg (%s)', (backend) => {
  let database: TestDatabase
  let server: TestServer
  let w: World
  let app: FastifyInstance
  let clock = Date.parse('2026-04-01T08:00:00.000Z')
  const clients: Record<string, string> = {}

  /** The log as the administrator produces it (which itself adds an entry). */
  async function logOf(code: string): Promise<AccessLogEntry[]> {
    const res = await get(app, w.admin, `/api/clients/${clients[code]}/access-log`)
    expect(res.statusCode).toBe(200)
    return res.json<AccessLog>().entries.filter((e) => e.channel !== 'access_log')
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend)
    // The admin's second factor is checked on the server's clock: codes are made for it.
    twoFactorClock(() => clock)
    server = await appOn(database, {}, { now: () => clock })
    app = server.app
    w = await makeWorld(app)
    await pushCases(app, w.pia, [
      { code: 'PIA-A', totals: [12, 20, 28, 33], dates: WEEKS },
      { code: 'PIA-B', totals: [30, 24], dates: WEEKS.slice(0, 2) },
    ])
    await pushCases(app, w.ola, [{ code: 'OLA-A', totals: [30, 10], dates: WEEKS.slice(0, 2) }])
    const found = await app.inject({
      method: 'POST',
      url: '/api/admin/access-log/find',
      headers: w.admin.headers,
      payload: { code: 'pia-a' },
    })
    expect(found.statusCode).toBe(200)
    for (const code of ['PIA-A', 'PIA-B', 'OLA-A']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/admin/access-log/find',
        headers: w.admin.headers,
        payload: { code },
      })
      const [match] = res.json<{ clients: { clientId: string }[] }>().clients
      clients[code] = match?.clientId ?? ''
    }
  })
  afterAll(async () => {
    twoFactorClock(null)
    await server.close()
    await database.drop()
  })

  it('a pull logs one entry per client on a page, with who, role, relation and tablet; pushing, an empty pull and others’ clients log nothing', async () => {
    expect(await logOf('PIA-A')).toEqual([])
    clock += 60_000
    const cursor = await pullAll(app, w.pia)
    // Six records of PIA-A (client, episode, four forms) on one page: one entry.
    expect(await logOf('PIA-A')).toEqual([
      {
        at: new Date(clock).toISOString(),
        personId: w.pia.personId,
        personName: 'pia',
        role: 'practitioner',
        relation: 'own',
        channel: 'pull',
        deviceSessionId: w.pia.deviceSessionId,
        deviceName: 'test tablet',
      },
    ])
    const again = await get(app, w.pia, `/api/sync/pull?cursor=${cursor}`)
    expect(again.json().changes).toEqual([])
    expect(await logOf('PIA-A')).toHaveLength(1)
    await pullAll(app, w.ola)
    expect((await logOf('PIA-A')).map((e) => e.personName)).toEqual(['pia'])
    expect((await logOf('OLA-A')).map((e) => e.personName)).toEqual(['ola'])
  })

  it('pages of a pull each log the clients on them; a supervisor’s pull is logged as a supervisee’s client', async () => {
    clock += 60_000
    await pullAll(app, w.vera, 3)
    const entries = (await logOf('PIA-A')).filter((e) => e.personId === w.vera.personId)
    // PIA-A's six records span two or three pages of three: one entry for each such page.
    expect(entries.length).toBeGreaterThanOrEqual(2)
    expect(entries.length).toBeLessThanOrEqual(3)
    expect(entries[0]).toMatchObject({
      role: 'supervisor',
      relation: 'supervisee',
      channel: 'pull',
      deviceSessionId: w.vera.deviceSessionId,
    })
    expect((await logOf('OLA-A')).some((e) => e.personId === w.vera.personId)).toBe(false)
  })

  it('the supervision overview logs every listed client, a supervision view the one opened; aggregates and reports log nothing', async () => {
    clock += 60_000
    const before = (await logOf('PIA-B')).length
    expect((await get(app, w.vera, '/api/supervision/supervisees')).statusCode).toBe(200)
    const overview = await logOf('PIA-B')
    expect(overview).toHaveLength(before + 1)
    expect(overview[0]).toMatchObject({
      personName: 'vera',
      relation: 'supervisee',
      channel: 'supervision_overview',
    })
    expect(
      (await get(app, w.vera, `/api/supervision/clients/${clients['PIA-B']}`)).statusCode,
    ).toBe(200)
    expect((await logOf('PIA-B'))[0]).toMatchObject({
      personName: 'vera',
      role: 'supervisor',
      channel: 'supervision_view',
    })
    const count = (await logOf('PIA-B')).length
    expect(
      (await get(app, w.vera, `/api/supervision/supervisees/${w.pia.personId}/aggregates`))
        .statusCode,
    ).toBe(200)
    const period = '?period=month&from=2026-01-01&to=2026-12-31'
    expect((await get(app, w.admin, `/api/reports${period}`)).statusCode).toBe(200)
    expect((await get(app, w.admin, `/api/reports.csv${period}`)).statusCode).toBe(200)
    expect(await logOf('PIA-B')).toHaveLength(count)
  })

  it('only an administrator or the client’s own practitioner produces the log; nobody else learns whether the client exists', async () => {
    const urls = (id: string) => [
      `/api/clients/${id}/access-log`,
      `/api/clients/${id}/access-log.csv`,
    ]
    for (const who of ALL) {
      for (const url of urls(clients['PIA-A'] ?? '')) {
        const expected = who === 'admin' || who === 'pia' ? 200 : 403
        expect((await get(app, w[who], url)).statusCode, `${who} ${url}`).toBe(expected)
      }
    }
    for (const url of urls(clients['PIA-A'] ?? '')) {
      expect((await get(app, null, url)).statusCode).toBe(401)
    }
    for (const url of urls('no-such-client')) {
      expect((await get(app, w.pia, url)).statusCode).toBe(403)
      expect((await get(app, w.admin, url)).statusCode).toBe(404)
    }
    for (const who of ['pia', 'vera', 'lars'] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/admin/access-log/find',
        headers: w[who].headers,
        payload: { code: 'PIA-A' },
      })
      expect(res.statusCode, who).toBe(403)
    }
  })

  it('producing the log is logged, by the practitioner as their own client and by the administrator as administrator', async () => {
    clock += 60_000
    const byPia = await get(app, w.pia, `/api/clients/${clients['PIA-A']}/access-log`)
    const log = byPia.json<AccessLog>()
    expect(log).toMatchObject({ code: 'PIA-A', retentionYears: 10 })
    expect(log.entries[0]).toMatchObject({
      personName: 'pia',
      role: 'practitioner',
      relation: 'own',
      channel: 'access_log',
      at: log.producedAt,
    })
    const byAdmin = await get(app, w.admin, `/api/clients/${clients['PIA-A']}/access-log.csv`)
    expect(byAdmin.statusCode).toBe(200)
    const latest = (
      await get(app, w.pia, `/api/clients/${clients['PIA-A']}/access-log`)
    ).json<AccessLog>()
    expect(latest.entries.slice(0, 3).map((e) => [e.personName, e.relation, e.channel])).toEqual([
      ['pia', 'own', 'access_log'],
      ['Administrator', 'admin', 'access_log'],
      ['pia', 'own', 'access_log'],
    ])
  })

  it('the CSV is in Norwegian words and Norwegian time, names no client in its file name, and guards names that look like formulas', async () => {
    const rename = await app.inject({
      method: 'PATCH',
      url: `/api/admin/people/${w.ola.personId}`,
      headers: w.admin.headers,
      payload: { displayName: '=HYPERLINK("x")' },
    })
    expect(rename.statusCode).toBe(200)
    clock = Date.parse('2026-07-01T10:30:00.000Z')
    await pullAll(app, await login(app, 'ola', PASSWORD, 'Nettbrett 7'))
    const res = await get(app, w.ola, `/api/clients/${clients['OLA-A']}/access-log.csv`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="linja-innsynslogg-2026-07-01\.csv"$/,
    )
    expect(res.body).not.toContain('OLA-A')
    const lines = res.body.split('\r\n')
    expect(lines[0]).toBe(
      '\uFEFFTidspunkt (norsk tid);Person;Rolle;Tilgang fordi;Hva som skjedde;Nettbrett',
    )
    // Summer time in Oslo: 10:30 UTC is 12:30.
    expect(lines).toContain(
      `2026-07-01 12:30;"'=HYPERLINK(""x"")";Behandler;Egen klient;Innsynslogg laget;test tablet`,
    )
    expect(lines).toContain(
      `2026-07-01 12:30;"'=HYPERLINK(""x"")";Behandler;Egen klient;Opplysninger hentet til nettbrett;Nettbrett 7`,
    )
    // The entry from before the rename keeps the name of its time.
    expect(lines.some((l) => l.includes(';ola;Behandler;Egen klient;Opplysninger hentet'))).toBe(
      true,
    )
    const en = await get(app, w.ola, `/api/clients/${clients['OLA-A']}/access-log.csv?lang=en`)
    expect(en.body.split('\r\n')[0]).toBe(
      'Time (Norwegian time),Person,Role,Access because,What happened,Tablet',
    )
    const nn = await get(app, w.ola, `/api/clients/${clients['OLA-A']}/access-log.csv?lang=nn`)
    expect(nn.body).toContain('Kva som skjedde')
    expect(
      (await get(app, w.ola, `/api/clients/${clients['OLA-A']}/access-log.csv?lang=de`)).statusCode,
    ).toBe(400)
  })

  it('no route changes or deletes an entry: not the administrator, not the practitioner, not anyone without a token', async () => {
    const id = clients['PIA-A'] ?? ''
    const before = await logOf('PIA-A')
    const attempts: [string, string][] = [
      ['DELETE', `/api/clients/${id}/access-log`],
      ['PUT', `/api/clients/${id}/access-log`],
      ['PATCH', `/api/clients/${id}/access-log`],
      ['POST', `/api/clients/${id}/access-log`],
      ['DELETE', `/api/clients/${id}/access-log/1`],
      ['PATCH', `/api/clients/${id}/access-log/1`],
      ['DELETE', '/api/admin/access-log'],
      ['DELETE', '/api/admin/access-log/1'],
      ['PUT', '/api/admin/access-log/1'],
    ]
    for (const who of [w.admin, w.pia, w.ola, null]) {
      for (const [method, url] of attempts) {
        const res = await app.inject({
          method: method as 'DELETE',
          url,
          ...(who ? { headers: who.headers } : {}),
          payload: { personName: 'nobody', at: '2000-01-01T00:00:00.000Z' },
        })
        expect(res.statusCode, `${method} ${url}`).toBe(404)
      }
    }
    expect(await logOf('PIA-A')).toEqual(before)
    // Nor can a statement against the database itself rewrite an entry.
    const raw = openDatabase({
      dataDir: database.env.DATA_DIR ?? '',
      databaseUrl: database.env.DATABASE_URL ?? null,
    })
    try {
      await expect(
        sql`update access_log set person_name = 'nobody'`.execute(raw.db),
      ).rejects.toThrow(/cannot be changed/)
    } finally {
      await raw.close()
    }
    expect(await logOf('PIA-A')).toEqual(before)
  })

  it('retention: 10 years by default, 2 to 30 accepted; older entries go at start and at once when it is shortened, and the sweep is audited', async () => {
    const settings = await get(app, w.admin, '/api/admin/settings')
    expect(settings.json().accessLogRetentionYears).toBe(10)
    for (const bad of [1, 31, 2.5, '10']) {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/settings',
        headers: w.admin.headers,
        payload: { idleLockMinutes: 5, accessLogRetentionYears: bad },
      })
      expect(res.statusCode, String(bad)).toBe(400)
    }
    for (const who of ['pia', 'lars'] as const) {
      const res = await app.inject({
        method: 'PUT',
        url: '/api/admin/settings',
        headers: w[who].headers,
        payload: { idleLockMinutes: 5, accessLogRetentionYears: 2 },
      })
      expect(res.statusCode).toBe(403)
    }
    const entriesNow = (await logOf('PIA-B')).length
    expect(entriesNow).toBeGreaterThan(0)
    // Eleven years on, a restart sweeps everything logged in 2026 (the default 10 years).
    await server.close()
    clock = Date.parse('2037-04-02T08:00:00.000Z')
    server = await appOn(database, {}, { now: () => clock })
    app = server.app
    w = { ...w, admin: await login(app, 'admin', 'admin-password-1') }
    expect(await logOf('PIA-B')).toEqual([])
    const audit = await get(app, w.admin, '/api/admin/audit?action=access_log_swept')
    expect(audit.json()[0]?.details).toContain('"retentionYears":10')
    // Logged in 2037, then the retention is shortened to 2 years in 2040: swept at once.
    await pullAll(app, await login(app, 'pia', PASSWORD))
    expect(await logOf('PIA-B')).toHaveLength(1)
    clock = Date.parse('2040-04-03T08:00:00.000Z')
    const put = await app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: w.admin.headers,
      payload: { idleLockMinutes: 5, accessLogRetentionYears: 2 },
    })
    expect(put.statusCode).toBe(200)
    expect(put.json().accessLogRetentionYears).toBe(2)
    expect(await logOf('PIA-B')).toEqual([])
  })
})
