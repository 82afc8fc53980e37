import { afterEach, describe, expect, it } from 'vitest'
import { serverFor, type TestServer } from './support/backends.ts'

describe('security headers, docs and errors', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('sends a CSP without inline script and no CORS headers', async () => {
    server = await serverFor('sqlite')
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    })
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).toContain("worker-src 'self'")
    expect(csp).toContain("manifest-src 'self'")
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('sends the hardening headers on API answers, refusals and the docs page alike', async () => {
    server = await serverFor('sqlite')
    const app = server.app
    const answers = [
      await app.inject({ method: 'GET', url: '/api/health' }),
      await app.inject({ method: 'GET', url: '/api/admin/people' }),
      await app.inject({ method: 'GET', url: '/api/no-such-route' }),
    ]
    expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 404])
    for (const res of answers) {
      expect(res.headers).toMatchObject({
        'x-frame-options': 'SAMEORIGIN',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      })
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'")
    }
    // The docs page alone may run swagger-ui's inline code; it keeps the other headers.
    const docs = await app.inject({ method: 'GET', url: '/api/docs/static/index.html' })
    expect(String(docs.headers['content-security-policy'])).toContain("'unsafe-inline'")
    expect(docs.headers['x-content-type-options']).toBe('nosniff')
  })

  it('serves the OpenAPI document and the docs page under /api/docs', async () => {
    server = await serverFor('sqlite')
    const spec = await server.app.inject({ method: 'GET', url: '/api/docs/json' })
    expect(spec.statusCode).toBe(200)
    expect(Object.keys(spec.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/sync/push',
        '/api/sync/pull',
        '/api/admin/people',
      ]),
    )
    const page = await server.app.inject({ method: 'GET', url: '/api/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
  })

  it('answers a server failure with a 500 that shows no internals', async () => {
    server = await serverFor('sqlite')
    server.app.get('/api/test-failure', async () => {
      throw new Error('secret table name linja_records')
    })
    const res = await server.app.inject({ method: 'GET', url: '/api/test-failure' })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({
      error: 'internal',
      message: 'Something went wrong on the server.',
    })
    expect(res.body).not.toContain('secret')
  })

  it('refuses unknown fields instead of dropping them', async () => {
    server = await serverFor('sqlite')
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'admin-password-1', deviceName: 'x', isAdmin: true },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: 'invalid_request' })
  })
})
