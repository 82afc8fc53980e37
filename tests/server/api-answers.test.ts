// Issue 14.9, 14.11, 14.16: what every API answer carries (no-store), the rate limit's 429, and a 413 that reaches the client over a real socket.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { addPerson, login, PASSWORD } from './support/world.ts'

describe.each(backends())('API answers (%s)', (backend) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('every /api/ answer says Cache-Control: no-store, whatever its status', async () => {
    server = await serverFor(backend, { LINJA_LOGIN_RATE_LIMIT: '3' })
    const { app } = server
    const admin = await login(app, 'admin', 'admin-password-1')
    await addPerson(app, admin, 'pia', ['practitioner'])
    const pia = await login(app, 'pia', PASSWORD)
    const answers = {
      '200 health': await app.inject({ method: 'GET', url: '/api/health' }),
      '200 people': await app.inject({
        method: 'GET',
        url: '/api/admin/people',
        headers: admin.headers,
      }),
      '401 no token': await app.inject({ method: 'GET', url: '/api/admin/people' }),
      '403 practitioner': await app.inject({
        method: 'GET',
        url: '/api/admin/people',
        headers: pia.headers,
      }),
      '404 no such route': await app.inject({ method: 'GET', url: '/api/no-such-thing' }),
      '400 bad body': await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 42 },
      }),
      '413 too large': await app.inject({
        method: 'PATCH',
        url: `/api/admin/people/${pia.personId}`,
        headers: { ...admin.headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ displayName: 'x'.repeat(3 * 1024 * 1024) }),
      }),
      '429 rate limited': await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody', password: 'wrong-password', deviceName: 'x' },
      }),
    }
    for (const [what, res] of Object.entries(answers)) {
      expect([what, res.statusCode]).toEqual([what, Number(what.slice(0, 3))])
      expect([what, res.headers['cache-control']]).toEqual([what, 'no-store'])
    }
  }, 60_000)

  it('the rate limit answers 429 rate_limited with a message and Retry-After', async () => {
    server = await serverFor(backend, { LINJA_LOGIN_RATE_LIMIT: '1' })
    const attempt = () =>
      server?.app.inject({
        method: 'POST',
        url: '/api/auth/refresh',
        payload: { refreshToken: 'not-a-refresh-token' },
      })
    // refresh is allowed three times the login limit
    for (let i = 0; i < 3; i++) expect((await attempt())?.statusCode).toBe(401)
    const limited = await attempt()
    expect(limited?.statusCode).toBe(429)
    expect(limited?.json()).toEqual({
      error: 'rate_limited',
      message: expect.stringMatching(/^Too many requests: try again in \d+ (second|minute)s?\.$/),
    })
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0)
  }, 30_000)
})

/** POST/PATCH `bytes` over a real socket, the way a slow tablet uploads (64 KiB pieces). */
function upload(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  bytes: number,
): Promise<{ status: number; body: string } | { failed: string }> {
  const body = Buffer.alloc(bytes, 'a')
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': bytes },
      },
      (res) => {
        let text = ''
        res.on('data', (d) => {
          text += String(d)
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ failed: e.code ?? e.message }))
      },
    )
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ failed: e.code ?? e.message }))
    let sent = 0
    const piece = 64 * 1024
    const next = () => {
      if (sent >= bytes) {
        req.end()
        return
      }
      req.write(body.subarray(sent, sent + piece))
      sent += piece
      setTimeout(next, 2)
    }
    next()
  })
}

describe('an oversized body over a real socket', () => {
  let server: TestServer | undefined
  let app: FastifyInstance | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
    app = undefined
  })

  it('every 3 MB request to a 1 MiB route gets the 413 answer with its code and message (no EPIPE)', async () => {
    server = await serverFor('sqlite')
    app = server.app
    const admin = await login(app, 'admin', 'admin-password-1')
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const outcomes: string[] = []
    for (let i = 0; i < 12; i++) {
      const [method, path] =
        i % 2 === 0
          ? ['POST', '/api/admin/text-packs']
          : ['PATCH', `/api/admin/people/${admin.personId}`]
      const res = await upload(port, method, path, admin.headers, 3 * 1024 * 1024)
      if ('failed' in res) {
        outcomes.push(`${method} ${path}: ${res.failed}`)
        continue
      }
      expect(res.status).toBe(413)
      expect(JSON.parse(res.body)).toEqual({
        error: 'too_large',
        message: expect.stringMatching(
          /^The request is larger than the [12] MiB this route takes\.$/,
        ),
      })
      outcomes.push('413')
    }
    expect(outcomes).toEqual(Array(12).fill('413'))
  }, 120_000)
})
