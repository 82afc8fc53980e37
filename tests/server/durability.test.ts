import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import type { PulledChange } from '../../src/core/sync-protocol.ts'
import {
  countPending,
  createClient,
  type LinjaDb,
  listClients,
  openLinjaDb,
  recordTyped,
} from '../../src/storage/index.ts'
import { createSyncEngine, httpTransport, type SyncEngine } from '../../src/sync/index.ts'
import { itemsOf } from '../storage/helpers.ts'
import { deviceSnapshot, type Snapshot, viewOf } from '../sync/support/snapshot.ts'
import { passSecondFactor, type SecondFactorStep } from './support/two-factor.ts'
import { PASSWORD } from './support/world.ts'

const ROOT = resolve(import.meta.dirname, '../..')

/** The real server as a node process (not through the tsx CLI, so SIGKILL reaches the server itself). */
async function start(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess }> {
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
      ...env,
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

/** A full pull over HTTP as `username` on a fresh session: every id in order, and the records. */
async function serverPass(url: string, username: string) {
  const login = await call(url, '/api/auth/login', {
    method: 'POST',
    body: { username, password: PASSWORD, deviceName: 'checker' },
  })
  const token = String(login.body.accessToken)
  const ids: string[] = []
  const snapshot: Snapshot = new Map()
  let cursor: string | null = null
  for (;;) {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    const page = (await call(url, `/api/sync/pull?limit=50${query}`, { token })).body
    for (const change of page.changes as PulledChange[]) {
      ids.push(change.id)
      snapshot.set(change.id, viewOf(change))
    }
    cursor = String(page.cursor)
    if (page.hasMore !== true) return { ids, snapshot }
  }
}

interface Tablet {
  name: string
  username: string
  db: LinjaDb
  engine: SyncEngine
  forms: number
}

describe('durability (SQLite, real process)', () => {
  let child: ChildProcess | undefined
  let dataDir: string | undefined
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('S4/S8: SIGKILLed three times while three tablets (the real sync engine) keep marking and syncing; nothing acknowledged is lost, and after a restart and a final sync every record is on the server exactly once', async () => {
    const KILLS = 3
    dataDir = mkdtempSync(join(tmpdir(), 'linja-kills-'))
    const env = { LINJA_LOGIN_RATE_LIMIT: '100000' }
    let server = await start(dataDir, env)
    child = server.child
    const post = (path: string, body: Record<string, unknown>) =>
      call(server.url, path, { method: 'POST', body })
    const step = await post('/api/auth/login', {
      username: 'admin',
      password: 'admin-password-1',
      deviceName: 'x',
    })
    // Administrators sign in with a second factor: enrolled here with a real authenticator.
    const admin = {
      body: (await passSecondFactor(post, 'admin', step.body as unknown as SecondFactorStep)) as {
        accessToken: string
      },
    }
    for (const username of ['pia', 'per']) {
      const made = await call(server.url, '/api/admin/people', {
        method: 'POST',
        token: String(admin.body.accessToken),
        body: { username, displayName: username, password: PASSWORD, roles: ['practitioner'] },
      })
      expect(made.status).toBe(201)
    }

    // The tablets reach whichever server process runs now; the n-th push can be made its last.
    let pushes = 0
    let killOnPush = 0
    /** Operations acknowledged again after a retry (their first answer was lost). */
    let duplicates = 0
    const viaServer = async (path: string, init: RequestInit) => {
      const push = path.startsWith('/api/sync/push')
      if (push) {
        pushes += 1
        if (pushes === killOnPush) {
          const victim = server.child
          // The push is on its way: the kill lands before, during or after its commit.
          setTimeout(() => victim.kill('SIGKILL'), (pushes * 7) % 20)
        }
      }
      const res = await fetch(`${server.url}${path}`, init)
      if (push && res.ok) {
        const body = (await res.clone().json()) as { results: { duplicate: boolean }[] }
        duplicates += body.results.filter((r) => r.duplicate).length
      }
      return res
    }
    const tablets: Tablet[] = []
    for (const [name, username] of [
      ['tablet-a', 'pia'],
      ['tablet-b', 'pia'],
      ['tablet-c', 'per'],
    ] as const) {
      const db = openLinjaDb(name, { indexedDB: new IDBFactory(), IDBKeyRange })
      const engine = createSyncEngine({
        db,
        transport: httpTransport('', viaServer),
        random: () => 0.5,
        lock: (_name, run) => run(),
        // Retries are the test's loop, not timers.
        schedule: () => () => undefined,
      })
      await engine.login(username, PASSWORD, name)
      tablets.push({ name, username, db, engine, forms: 0 })
    }
    const work = async (t: Tablet, round: number) => {
      for (let i = 0; i < 4; i += 1) {
        if (i % 2 === 0) {
          await createClient(t.db, { code: `${t.name}-${round}-${i}`, ageGroup: 'adult' })
        }
        const clients = await listClients(t.db)
        const mine = clients.filter((c) => c.code.startsWith(t.name))
        await recordTyped(t.db, {
          clientId: (mine[i % mine.length] ?? mine[0])?.id ?? '',
          instrumentId: 'SRS',
          items: itemsOf('SRS', [7, 8, 9, (round + i) % 11]),
          rater: 'client',
          collectedBy: 'paper',
          markedAt: '2026-11-01T10:00:00Z',
          locale: 'nb',
        })
        t.forms += 1
        await t.engine.syncNow()
      }
    }

    for (let round = 0; round < KILLS; round += 1) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve))
      // Every write is followed by a sync, so this round sends at least 12 pushes.
      killOnPush = pushes + 2 + round
      await Promise.all(tablets.map((t) => work(t, round)))
      await exited
      server = await start(dataDir, env)
      child = server.child
    }

    // Back for good: each tablet syncs until nothing waits (a few rounds: pia's two tablets
    // see each other's records only after both have pushed).
    for (let pass = 0; pass < 3; pass += 1) {
      for (const t of tablets) await t.engine.syncNow()
    }
    for (const t of tablets) {
      expect(t.engine.getStatus(), t.name).toMatchObject({ state: 'idle', pending: 0 })
      expect(await countPending(t.db)).toBe(0)
    }
    for (const username of ['pia', 'per']) {
      const pass = await serverPass(server.url, username)
      const mine = tablets.filter((t) => t.username === username)
      expect(new Set(pass.ids).size, `${username}: a record twice in one pull`).toBe(
        pass.ids.length,
      )
      const forms = [...pass.snapshot.values()].filter((r) => r.entity === 'administration')
      expect(forms).toHaveLength(mine.reduce((n, t) => n + t.forms, 0))
      for (const t of mine) expect(await deviceSnapshot(t.db), t.name).toEqual(pass.snapshot)
    }
    expect(pushes).toBeGreaterThan(KILLS * 6)
    console.log(`kills: ${KILLS}, pushes: ${pushes}, operations acknowledged twice: ${duplicates}`)
    for (const t of tablets) t.db.close()
    server.child.kill('SIGTERM')
  }, 120_000)
})
