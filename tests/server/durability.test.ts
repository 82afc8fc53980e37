import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { caseOps, Device, orsPayload } from './support/ops.ts'

const ROOT = resolve(import.meta.dirname, '../..')

/** The real server as a node process (not through the tsx CLI, so SIGKILL reaches the server itself). */
async function start(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      STATIC_DIR: '/nonexistent-linja-dist',
      LINJA_ADMIN_PASSWORD: 'admin-password-1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stderr?.on('data', (d) => {
    out += String(d)
  })
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no start:\n${out}`)), 30_000)
    child.stdout?.on('data', (d) => {
      out += String(d)
      const m = /running at (http:\/\/localhost:\d+)\//.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        ok(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`exited ${code}:\n${out}`))
    })
  })
  return { url, child }
}

async function call(
  url: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown },
) {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      'x-linja-protocol': '1',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('durability (SQLite, real process)', () => {
  let child: ChildProcess | undefined
  let dataDir: string | undefined
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('S8: nothing the server acknowledged is lost when it is SIGKILLed in the middle of pushes', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'linja-kill-'))
    const first = await start(dataDir)
    child = first.child
    const login = await call(first.url, '/api/auth/login', {
      method: 'POST',
      body: { username: 'admin', password: 'admin-password-1', deviceName: 'x' },
    })
    const adminToken = String(login.body.accessToken)
    await call(first.url, '/api/admin/people', {
      method: 'POST',
      token: adminToken,
      body: {
        username: 'pia',
        displayName: 'Pia',
        password: 'a-long-password-1',
        roles: ['practitioner'],
      },
    })
    const pia = await call(first.url, '/api/auth/login', {
      method: 'POST',
      body: { username: 'pia', password: 'a-long-password-1', deviceName: 'tablet' },
    })
    const token = String(pia.body.refreshToken)
    let access = String(pia.body.accessToken)
    const personId = String((pia.body.person as { id: string }).id)
    const device = new Device()
    const c = caseOps(device, personId)
    expect(
      (
        await call(first.url, '/api/sync/push', {
          method: 'POST',
          token: access,
          body: device.body(c.ops),
        })
      ).status,
    ).toBe(200)

    const acked: string[] = []
    const killAt = Date.now() + 400
    let killed = false
    const pushing = (async () => {
      for (;;) {
        const form = orsPayload(c.client.id, c.episode.id)
        const op = device.op('administration', 'create', form)
        try {
          const res = await call(first.url, '/api/sync/push', {
            method: 'POST',
            token: access,
            body: device.body([op]),
          })
          if (res.status === 200) acked.push(form.id)
        } catch {
          return
        }
        if (!killed && Date.now() >= killAt) {
          killed = true
          first.child.kill('SIGKILL')
        }
      }
    })()
    await pushing
    expect(acked.length).toBeGreaterThan(5)

    const second = await start(dataDir)
    child = second.child
    const refreshed = await call(second.url, '/api/auth/refresh', {
      method: 'POST',
      body: { refreshToken: token },
    })
    access = String(refreshed.body.accessToken)
    const pulled = await call(second.url, '/api/sync/pull?limit=1000', { token: access })
    const ids = new Set((pulled.body.changes as { id: string }[]).map((ch) => ch.id))
    for (const id of acked) expect(ids.has(id)).toBe(true)
    second.child.kill('SIGTERM')
  }, 60_000)
})
