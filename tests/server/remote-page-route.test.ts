import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { serverFor, type TestServer } from './support/backends.ts'

/** A built app in a temporary folder: the practitioner's shell, and the remote page when asked. */
function build(withRemotePage: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'linja-dist-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Linja app</title>')
  if (withRemotePage) {
    mkdirSync(join(dir, 'r'))
    writeFileSync(join(dir, 'r', 'index.html'), '<!doctype html><title>Linja skjema</title>')
  }
  return dir
}

describe('the remote-form page at /r/', () => {
  let server: TestServer | undefined
  let dir = ''
  afterEach(async () => {
    await server?.close()
    server = undefined
    rmSync(dir, { recursive: true, force: true })
  })
  const page = (url: string) =>
    server?.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })

  it('is served from dist/r/index.html with the strict CSP, never cached; /r goes to /r/; nothing under /r/ falls back to the app', async () => {
    dir = build(true)
    server = await serverFor('sqlite', { STATIC_DIR: dir })
    const res = await page('/r/')
    expect(res?.statusCode).toBe(200)
    expect(res?.body).toContain('Linja skjema')
    expect(res?.headers['cache-control']).toBe('no-cache')
    expect(res?.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res?.headers['referrer-policy']).toBe('no-referrer')
    const bare = await page('/r')
    expect(bare?.statusCode).toBe(308)
    expect(bare?.headers.location).toBe('/r/')
    const other = await page('/r/clients')
    expect(other?.statusCode).toBe(404)
    expect(other?.body).not.toContain('Linja app')
    // The app's own routes still fall back to its shell.
    expect((await page('/clients'))?.body).toContain('Linja app')
  })

  it('without the built page, /r/ answers 404 in words saying how to build it (not the practitioner app)', async () => {
    dir = build(false)
    server = await serverFor('sqlite', { STATIC_DIR: dir })
    const res = await page('/r/')
    expect(res?.statusCode).toBe(404)
    expect(res?.json()).toEqual({
      error: 'remote_page_missing',
      message: expect.stringContaining('npm run build'),
    })
  })
})
