import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  countPending,
  createClient,
  getAdministration,
  getMeta,
  getWipeNotice,
  recordTyped,
  type StoredClient,
  setMeta,
  type TypedForm,
} from '../../src/storage/index.ts'
import { loadCursor, loadSession, SyncHttpError } from '../../src/sync/index.ts'
import { itemsOf } from '../storage/helpers.ts'
import { deviceSnapshot, serverSnapshot } from './support/snapshot.ts'
import { addDevice, addPractitioner, type SyncWorld, syncWorld } from './support/world.ts'

let world: SyncWorld
let pia: string
beforeEach(async () => {
  world = await syncWorld()
  pia = await addPractitioner(world)
})
afterEach(async () => {
  await world.close()
})

function paper(client: StoredClient): TypedForm {
  return {
    clientId: client.id,
    instrumentId: 'ORS',
    items: itemsOf('ORS', [4, 4, 4, 4]),
    rater: 'client',
    collectedBy: 'paper',
    markedAt: '2026-11-01T10:00:00Z',
    locale: 'nb',
  }
}

function sqliteFile(): string {
  const dir = world.database.env.DATA_DIR
  if (dir === undefined) throw new Error('SQLite only')
  return join(dir, 'linja.sqlite')
}

describe('server changes under the device', () => {
  it('S14: a new server epoch makes a full pull; the unsent outbox is kept and then pushed', async () => {
    const a = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'E1', ageGroup: 'adult' })
    await a.engine.syncNow()
    expect(await loadCursor(a.db)).not.toBeNull()
    await recordTyped(a.db, paper(client))
    await world.restart(() => {
      const db = new SQLite(sqliteFile())
      db.prepare("update meta set value = 'epoch-after-restore' where key = 'epoch'").run()
      db.close()
    })
    const pendingBefore = await countPending(a.db)
    expect(pendingBefore).toBe(2)
    a.transport.log.length = 0
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'idle', pending: 0 })
    const pulls = a.transport.log.filter((x) => x.route === 'pull')
    expect(pulls[0]?.cursor ?? null).toBeNull()
    expect((await loadSession(a.db))?.serverEpoch).toBe('epoch-after-restore')
    expect(await deviceSnapshot(a.db)).toEqual(
      (await serverSnapshot(world.server.app, pia)).snapshot,
    )
  })

  it('S14/S6: a server restored from a backup: cursor_ahead -> full pull; waiting changes are renumbered after the gap', async () => {
    const a = await addDevice(world, pia)
    const b = await addDevice(world, pia)
    const client = await createClient(a.db, { code: 'G1', ageGroup: 'adult' })
    await recordTyped(a.db, paper(client))
    await a.engine.syncNow()
    const backup = `${sqliteFile()}.backup`
    await world.restart(() => copyFileSync(sqliteFile(), backup))
    await recordTyped(a.db, paper(client))
    await a.engine.syncNow()
    await b.engine.syncNow()
    const waiting = await recordTyped(a.db, paper(client))
    await world.restart(() => {
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(sqliteFile() + suffix)) rmSync(sqliteFile() + suffix)
      }
      copyFileSync(backup, sqliteFile())
    })
    b.transport.log.length = 0
    expect((await b.engine.syncNow()).state).toBe('idle')
    expect(b.transport.log.map((x) => `${x.route}:${x.status}:${x.cursor ?? 'none'}`)).toEqual([
      expect.stringMatching(/^pull:409:.+/),
      'pull:200:none',
    ])
    a.transport.log.length = 0
    expect(await a.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
    const codes = a.transport.log.map((x) => `${x.route}:${x.status}:${x.cursor ?? 'none'}`)
    expect(codes).toEqual(['push:409:none', 'push:200:none', 'pull:200:none'])
    const server = await serverSnapshot(world.server.app, pia)
    expect(server.snapshot.has(waiting.id)).toBe(true)
    expect(a.engine.getStatus().conflicts).toEqual([])
    await b.engine.syncNow()
    expect(await getAdministration(b.db, waiting.id)).toMatchObject({ total: 16 })
  })

  it('S1: update_required -> status update-needed, the outbox is kept', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'U1', ageGroup: 'adult' })
    a.transport.protocol = 0
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'update-needed', pending: 1 })
    expect(status.lastError?.code).toBe('update_required')
    expect(a.retries).toEqual([])
    a.transport.protocol = 1
    expect(await a.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
  })
})

describe('the device session', () => {
  it('S3: a revoked device wipes itself on its next contact, outbox included, and says why', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'W1', ageGroup: 'adult' })
    await a.engine.syncNow()
    await createClient(a.db, { code: 'W2', ageGroup: 'adult' })
    const session = await loadSession(a.db)
    const res = await world.server.app.inject({
      method: 'POST',
      url: `/api/admin/tablets/${session?.deviceSessionId}/revoke`,
      headers: world.admin.headers,
    })
    expect(res.statusCode).toBe(200)
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'revoked', revokedReason: 'device_revoked', pending: 0 })
    expect(await a.db.clients.count()).toBe(0)
    expect(await countPending(a.db)).toBe(0)
    expect(await loadSession(a.db)).toBeUndefined()
    expect(await getWipeNotice(a.db)).toMatchObject({ reason: 'device_revoked' })
    expect((await a.engine.load()).state).toBe('revoked')
    // Logging in again starts as a new device (new device id, wire numbers from 1).
    await a.engine.login(pia, 'a-long-password-1', 'again')
    await createClient(a.db, { code: 'W3', ageGroup: 'adult' })
    expect(await a.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
  })

  it('S3: a deactivated account wipes the device on its next contact (also when only the refresh answers)', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'Z1', ageGroup: 'adult' })
    const session = await loadSession(a.db)
    if (!session) throw new Error('no session')
    await setMeta(a.db, 'sync.session', {
      ...session,
      accessTokenExpiresAt: '2000-01-01T00:00:00Z',
    })
    const res = await world.server.app.inject({
      method: 'POST',
      url: `/api/admin/people/${session.person.id}/deactivate`,
      headers: world.admin.headers,
    })
    expect(res.statusCode).toBe(200)
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'revoked', revokedReason: 'account_deactivated' })
    expect(a.transport.log.at(-1)).toMatchObject({ route: 'refresh', status: 401 })
    expect(await a.db.clients.count()).toBe(0)
    expect(await countPending(a.db)).toBe(0)
  })

  it('logging out with unsent changes warns and deletes nothing; force logs out and still keeps them', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'O1', ageGroup: 'adult' })
    expect(await a.engine.logout()).toEqual({ ok: false, pending: 1 })
    expect(await loadSession(a.db)).toBeDefined()
    expect(await countPending(a.db)).toBe(1)
    expect(await a.engine.logout({ force: true })).toEqual({ ok: true })
    expect(a.engine.getStatus().state).toBe('logged-out')
    expect(await loadSession(a.db)).toBeUndefined()
    expect(await countPending(a.db)).toBe(1)
    expect(await a.db.clients.count()).toBe(1)
    expect(a.transport.log.at(-1)).toMatchObject({ route: 'logout', status: 200 })
    expect((await a.engine.syncNow()).state).toBe('logged-out')
    await a.engine.login(pia, 'a-long-password-1', 'again')
    expect(await a.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
  })

  it('S5: a reused sequence number (restored tablet) stops syncing with device-conflict', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'S1', ageGroup: 'adult' })
    await a.engine.syncNow()
    await createClient(a.db, { code: 'S2', ageGroup: 'adult' })
    const wire = await getMeta<{ deviceId: string }>(a.db, 'sync.wire')
    await setMeta(a.db, 'sync.wire', { deviceId: wire?.deviceId, lastWire: 0, pairs: [] })
    const status = await a.engine.syncNow()
    expect(status).toMatchObject({ state: 'device-conflict', pending: 1 })
    a.transport.log.length = 0
    expect((await a.engine.syncNow()).state).toBe('device-conflict')
    expect(a.transport.log).toEqual([])
    expect((await a.engine.load()).state).toBe('device-conflict')
  })

  it('S3: an expired access token is refreshed first; token_expired is refreshed and retried once', async () => {
    const a = await addDevice(world, pia)
    const before = await loadSession(a.db)
    if (!before) throw new Error('no session')
    await setMeta(a.db, 'sync.session', { ...before, accessTokenExpiresAt: '2000-01-01T00:00:00Z' })
    await createClient(a.db, { code: 'X1', ageGroup: 'adult' })
    expect((await a.engine.syncNow()).state).toBe('idle')
    expect(a.transport.log.filter((x) => x.route === 'refresh')).toHaveLength(1)
    const after = await loadSession(a.db)
    expect(after?.refreshToken).not.toBe(before.refreshToken)

    const push = a.transport.push
    let refused = 0
    a.transport.push = async (token, request) => {
      if (refused === 0) {
        refused += 1
        throw new SyncHttpError(401, 'token_expired', { error: 'token_expired' })
      }
      return push(token, request)
    }
    await createClient(a.db, { code: 'X2', ageGroup: 'adult' })
    expect(await a.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
    expect(a.transport.log.filter((x) => x.route === 'refresh')).toHaveLength(2)
  })

  it('14.6a: when its rotated refresh token comes back, the tablet is told and keeps everything', async () => {
    const a = await addDevice(world, pia)
    await createClient(a.db, { code: 'R1', ageGroup: 'adult' })
    const stolen = await loadSession(a.db)
    if (!stolen) throw new Error('no session')
    // A thief with a copy of the token refreshes first; a minute later the tablet needs a token.
    const thief = await world.server.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: stolen.refreshToken },
    })
    expect(thief.statusCode).toBe(200)
    const db = new SQLite(sqliteFile())
    db.prepare("update retired_refresh_tokens set retired_at = '2000-01-01T00:00:00.000Z'").run()
    db.close()
    await setMeta(a.db, 'sync.session', { ...stolen, accessTokenExpiresAt: '2000-01-01T00:00:00Z' })

    const status = await a.engine.syncNow()
    expect(status).toMatchObject({
      state: 'logged-out',
      pending: 1,
      lastError: { code: 'session_revoked_reuse' },
    })
    expect(await a.db.clients.count()).toBe(1)
    const thiefAgain = await world.server.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: thief.json<{ refreshToken: string }>().refreshToken },
    })
    expect(thiefAgain.json()).toMatchObject({ error: 'session_revoked_reuse' })
    // Signing in again sends what waited.
    await a.engine.login(pia, 'a-long-password-1', 'again')
    expect(await a.engine.syncNow()).toMatchObject({ state: 'idle', pending: 0 })
  })
})
