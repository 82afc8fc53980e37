// Issue 15: the server says no one way: every refusal, from a hook, a route, the sync engine or Fastify itself, is {error, message, ...} with a stable code; anything unexpected is a 500 that shows nothing inside.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { caseOps, Device } from './support/ops.ts'
import { makeWorld } from './support/world.ts'

const SERVER_SRC = join(import.meta.dirname, '../../sync-server/src')
/** A stable code: one lower-case word or words joined by _, never Fastify's FST_ERR_…. */
const STABLE_CODE = /^[a-z]+(_[a-z]+)*$/

function expectRefusal(name: string, res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, name).toBe(status)
  expect(res.headers['content-type'], name).toMatch(/^application\/json/)
  expect(res.headers['cache-control'], name).toBe('no-store')
  const body = res.json<Record<string, unknown>>()
  expect(body.error, name).toBe(code)
  expect(body.error, name).toMatch(STABLE_CODE)
  expect(typeof body.message, name).toBe('string')
  expect(String(body.message).length, name).toBeGreaterThan(0)
  return body
}

describe.each(backends())('refusals (%s)', (backend) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('every kind of refusal answers {error, message, ...extra} with a stable code and no-store', async () => {
    server = await serverFor(backend)
    const { app } = server
    const { admin, pia, vera } = await makeWorld(app)
    const json = { 'content-type': 'application/json' }

    // Hooks: no token, a role the route does not take.
    expectRefusal('no token', await app.inject({ url: '/api/admin/people' }), 401, 'unauthorised')
    expectRefusal(
      'wrong role',
      await app.inject({ url: '/api/admin/people', headers: pia.headers }),
      403,
      'forbidden',
    )
    // Route handlers, with and without extra fields.
    expectRefusal(
      'report period',
      await app.inject({
        url: '/api/reports?period=month&from=2026-05-01&to=2026-01-01',
        headers: admin.headers,
      }),
      400,
      'bad_period',
    )
    const pack = expectRefusal(
      'text pack',
      await app.inject({
        method: 'POST',
        url: '/api/admin/text-packs',
        headers: admin.headers,
        payload: { nothing: 'here' },
      }),
      400,
      'invalid_text_pack',
    )
    expect(pack.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'format' })]),
    )
    const fit = expectRefusal(
      'too few episodes',
      await app.inject({
        method: 'POST',
        url: '/api/admin/settings/fit-trajectory',
        headers: admin.headers,
      }),
      409,
      'too_few_episodes',
    )
    expect(fit).toMatchObject({ n: 0, minimum: expect.any(Number) })
    // The sync engine, from inside the push transaction and from the pull.
    const device = new Device()
    const { ops } = caseOps(device, pia.personId)
    const gap = expectRefusal(
      'seq gap',
      await app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: pia.headers,
        payload: device.body([ops[0], ops[2]]),
      }),
      409,
      'seq_gap',
    )
    expect(gap).toMatchObject({ expected: 2, seq: 3 })
    expectRefusal(
      'cursor',
      await app.inject({ url: '/api/sync/pull?cursor=made-up', headers: vera.headers }),
      400,
      'invalid_cursor',
    )
    const old = expectRefusal(
      'protocol',
      await app.inject({
        url: '/api/sync/pull',
        headers: { ...pia.headers, 'x-linja-protocol': '0' },
      }),
      426,
      'update_required',
    )
    expect(old).toMatchObject({ minimum: expect.any(Number), current: expect.any(Number) })
    // Fastify's own refusals get the app's words, not FST_ERR_… codes.
    const login = { method: 'POST', url: '/api/auth/login' } as const
    expectRefusal(
      'invalid JSON',
      await app.inject({ ...login, headers: json, payload: '{"username":' }),
      400,
      'invalid_json',
    )
    expectRefusal(
      'empty JSON',
      await app.inject({ ...login, headers: json, payload: '' }),
      400,
      'invalid_json',
    )
    expectRefusal(
      'media type',
      await app.inject({ ...login, headers: { 'content-type': 'text/xml' }, payload: '<a/>' }),
      415,
      'unsupported_media_type',
    )
    expectRefusal('no route', await app.inject({ url: '/api/no-such-thing' }), 404, 'not_found')
    // A refusal that asks the device to wipe, from the hook.
    await app.inject({
      method: 'POST',
      url: `/api/admin/tablets/${pia.deviceSessionId}/revoke`,
      headers: admin.headers,
    })
    const revoked = expectRefusal(
      'revoked',
      await app.inject({ url: '/api/settings', headers: pia.headers }),
      401,
      'device_revoked',
    )
    expect(revoked.wipe).toBe(true)
  }, 60_000)
})

describe('unexpected errors', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('a thrown error that is no refusal is a 500 that shows neither its message, code nor stack', async () => {
    server = await serverFor('sqlite')
    const { app } = server
    const secret = 'select pin from people where client_code = K-1234'
    app.get('/api/test/boom', async () => {
      throw Object.assign(new Error(secret), { code: '23505', detail: 'Key (code)=(K-1234)' })
    })
    app.get('/api/test/boom-status', async () => {
      throw Object.assign(new Error(secret), { statusCode: 502 })
    })
    for (const url of ['/api/test/boom', '/api/test/boom-status']) {
      const res = await app.inject({ url })
      expect(res.statusCode, url).toBeGreaterThanOrEqual(500)
      expect(res.headers['cache-control'], url).toBe('no-store')
      expect(res.json(), url).toEqual({
        error: 'internal',
        message: 'Something went wrong on the server.',
      })
      expect(res.body, url).not.toMatch(/K-1234|23505|select|at .*\.ts/)
    }
  })
})

describe('one way to say no, in the source', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? files(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? [join(dir, e.name)]
          : [],
    )

  it('no server module answers a 4xx/5xx itself or declares an error type of its own', () => {
    const found: string[] = []
    for (const file of files(SERVER_SRC)) {
      const name = relative(SERVER_SRC, file)
      const text = readFileSync(file, 'utf8')
      // The error handler is the one place that turns a refusal into an answer.
      if (name !== join('plugins', 'error-handler.ts') && /\.(code|status)\(\s*[45]\d\d/.test(text))
        found.push(`${name}: answers an error status itself (throw a Refusal)`)
      if (/\{\s*refused:/.test(text))
        found.push(`${name}: returns a refusal tuple (throw a Refusal)`)
      if (/\brefuse\(\s*reply\b/.test(text))
        found.push(`${name}: answers through refuse() (throw a Refusal)`)
      const errorTypes = [...text.matchAll(/class (\w+) extends Error\b/g)].map((m) => m[1])
      // Start-up failures (ConfigError, StartupError) are printed at start, never answered;
      // OidcFailed ends the browser's return from the identity provider in a redirect to the app
      // with the reason in its #fragment (routes/auth-oidc.ts), never in an error answer.
      const allowed = ['Refusal', 'StartupError', 'ConfigError', 'OidcFailed']
      for (const type of errorTypes)
        if (!allowed.includes(type ?? ''))
          found.push(`${name}: error type ${type} (throw a Refusal)`)
    }
    expect(found).toEqual([])
  })
})
