import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { testApp } from './support/test-app.ts'

describe('GET /api/health', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
    close = undefined
  })

  it('answers {"status":"ok"} and has created the SQLite file under DATA_DIR', async () => {
    const t = await testApp()
    close = t.close
    const res = await t.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ status: 'ok' })
    expect(existsSync(join(t.dataDir, 'linja.sqlite'))).toBe(true)
  })

  it('answers an unknown API route with a JSON 404, not the app shell', async () => {
    const t = await testApp()
    close = t.close
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/does-not-exist',
      headers: { accept: 'text/html' },
    })
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ error: 'not_found' })
  })
})
