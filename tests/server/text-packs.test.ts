import type { FastifyInstance } from 'fastify'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { makeWorld, type Session, type World } from './support/world.ts'

type Who = keyof World
const ALL: Who[] = ['admin', 'pia', 'ola', 'vera', 'lars']

// Placeholder wording: tests must not contain licensed text.
const entry = (language: string) => ({
  instrumentId: 'ORS',
  language,
  title: `Title ${language}`,
  instructions: `Instructions ${language}`,
  items: {
    'ors.individually': `A ${language}`,
    'ors.interpersonally': `B ${language}`,
    'ors.socially': `C ${language}`,
    'ors.overall': `D ${language}`,
  },
  endLabels: { low: `low ${language}`, high: `high ${language}` },
})
const pack = (version: string) => ({
  format: 'linja-text-pack',
  formatVersion: 1,
  version,
  licence: { licensee: 'Eksempel kommune', reference: 'LIC-0001' },
  entries: [entry('nb'), entry('so')],
})

function call(
  app: FastifyInstance,
  who: Session,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
) {
  return app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) })
}

describe.each(backends())('text packs (%s)', (backend) => {
  let server: TestServer
  let w: World
  let app: FastifyInstance
  beforeEach(async () => {
    server = await serverFor(backend)
    app = server.app
    w = await makeWorld(app)
  })
  afterEach(async () => {
    await server.close()
  })

  it('only the admin uploads and lists; every signed-in person fetches the active pack (204 while there is none)', async () => {
    for (const who of ALL.filter((p) => p !== 'admin')) {
      expect((await call(app, w[who], 'POST', '/api/admin/text-packs', pack('x'))).statusCode).toBe(
        403,
      )
      expect((await call(app, w[who], 'GET', '/api/admin/text-packs')).statusCode).toBe(403)
    }
    for (const who of ALL) {
      const res = await call(app, w[who], 'GET', '/api/text-packs/active')
      expect(res.statusCode, who).toBe(204)
      expect(res.body).toBe('')
    }
    expect((await call(app, w.admin, 'GET', '/api/admin/text-packs')).json()).toEqual([])
  })

  it('a good pack is stored, listed, audited and becomes the active one; the next upload replaces it', async () => {
    const first = await call(app, w.admin, 'POST', '/api/admin/text-packs', pack('2026.1'))
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({
      version: '2026.1',
      reference: 'LIC-0001',
      entries: 2,
      active: true,
    })
    expect((await call(app, w.pia, 'GET', '/api/text-packs/active')).json()).toEqual(pack('2026.1'))
    const second = await call(app, w.admin, 'POST', '/api/admin/text-packs', pack('2026.2'))
    expect(second.statusCode).toBe(201)
    expect((await call(app, w.vera, 'GET', '/api/text-packs/active')).json().version).toBe('2026.2')
    const list = (await call(app, w.admin, 'GET', '/api/admin/text-packs')).json()
    expect(list.map((p: { version: string; active: boolean }) => [p.version, p.active])).toEqual([
      ['2026.2', true],
      ['2026.1', false],
    ])
    const log = (
      await call(app, w.admin, 'GET', '/api/admin/audit?action=text_pack_uploaded')
    ).json()
    expect(log).toHaveLength(2)
    expect(JSON.stringify(log)).not.toContain('Title nb')
  })

  it('a bad pack is refused with every reason and changes nothing', async () => {
    await call(app, w.admin, 'POST', '/api/admin/text-packs', pack('good'))
    const bad = pack('bad')
    const broken = {
      ...bad,
      licence: { licensee: 'X' },
      entries: [{ ...entry('nb'), items: { 'ors.individually': 'A' } }, entry('nb')],
    }
    const res = await call(app, w.admin, 'POST', '/api/admin/text-packs', broken)
    expect(res.statusCode).toBe(400)
    const body = res.json()
    expect(body.error).toBe('invalid_text_pack')
    expect(body.errors.length).toBeGreaterThanOrEqual(3)
    const paths = body.errors.map((e: { path: string }) => e.path).join(' ')
    expect(paths).toContain('licence.reference')
    expect(paths).toContain('entries[0]')
    for (const nonsense of [[1, 2], { format: 'other' }, { ...pack('v2'), formatVersion: 2 }]) {
      const r = await call(app, w.admin, 'POST', '/api/admin/text-packs', nonsense)
      expect(r.statusCode).toBe(400)
    }
    expect((await call(app, w.pia, 'GET', '/api/text-packs/active')).json().version).toBe('good')
    expect((await call(app, w.admin, 'GET', '/api/admin/text-packs')).json()).toHaveLength(1)
  })

  it('a pack carrying markup (script, an image with onerror, encoded tags) is refused with the reason and stores nothing', async () => {
    await call(app, w.admin, 'POST', '/api/admin/text-packs', pack('good'))
    const nb = entry('nb')
    const scripted = {
      ...pack('evil'),
      entries: [
        {
          ...nb,
          title: '<script>alert(1)</script>',
          items: { ...nb.items, 'ors.overall': '<img src=x onerror=alert(1)>' },
          endLabels: { low: '&lt;b&gt;low', high: 'high' },
        },
      ],
    }
    const res = await call(app, w.admin, 'POST', '/api/admin/text-packs', scripted)
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toBe('invalid_text_pack')
    expect(res.json().errors.map((e: { path: string; code: string }) => [e.path, e.code])).toEqual([
      ['entries[0].title', 'markup'],
      ['entries[0].endLabels.low', 'markup'],
      ['entries[0].items["ors.overall"]', 'markup'],
    ])
    expect(res.json().errors[0].message).toMatch(/markup is not allowed/i)
    expect((await call(app, w.pia, 'GET', '/api/text-packs/active')).json().version).toBe('good')
    expect((await call(app, w.admin, 'GET', '/api/admin/text-packs')).json()).toHaveLength(1)
  })
})
