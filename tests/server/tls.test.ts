// Issue 14.15: with LINJA_TLS_CERT_FILE and LINJA_TLS_KEY_FILE the server speaks HTTPS itself (and still sends HSTS).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { serverFor, type TestServer } from './support/backends.ts'

const dir = mkdtempSync(join(tmpdir(), 'linja-tls-'))
const cert = join(dir, 'cert.pem')
const key = join(dir, 'key.pem')
const made =
  spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { encoding: 'utf8' },
  ).status === 0

describe.runIf(made)('TLS from certificate files', () => {
  let server: TestServer | undefined
  afterAll(async () => {
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers over HTTPS with the configured certificate, with HSTS and no-store', async () => {
    server = await serverFor('sqlite', { LINJA_TLS_CERT_FILE: cert, LINJA_TLS_KEY_FILE: key })
    await server.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = server.app.server.address() as AddressInfo
    const answer = await new Promise<{
      status: number
      headers: Record<string, unknown>
      body: string
    }>((resolve, reject) => {
      https
        .get(
          {
            host: '127.0.0.1',
            port,
            path: '/api/health',
            ca: readFileSync(cert),
            servername: 'localhost',
          },
          (res) => {
            let body = ''
            res.on('data', (d) => {
              body += String(d)
            })
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
            )
          },
        )
        .on('error', reject)
    })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ status: 'ok' })
    expect(String(answer.headers['strict-transport-security'])).toMatch(/max-age=\d+/)
    expect(answer.headers['cache-control']).toBe('no-store')
  }, 30_000)
})
