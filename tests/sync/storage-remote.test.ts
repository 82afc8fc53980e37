import { beforeEach, describe, expect, it } from 'vitest'
import {
  applyRemoteChanges,
  correct,
  countPending,
  createClient,
  getAdministration,
  getClient,
  getWipeNotice,
  recordTyped,
  type StoredAdministration,
  type StoredClient,
  wipeDevice,
} from '../../src/storage/index.ts'
import { freshDb, itemsOf, type TestDb } from '../storage/helpers.ts'

let t: TestDb
let client: StoredClient
let form: StoredAdministration
beforeEach(async () => {
  t = freshDb()
  client = await createClient(t.db, { code: 'R1', ageGroup: 'adult' })
  form = await recordTyped(t.db, {
    clientId: client.id,
    instrumentId: 'ORS',
    items: itemsOf('ORS', [5, 5, 5, 5]),
    rater: 'client',
    collectedBy: 'paper',
    markedAt: '2026-11-01T10:00:00Z',
    locale: 'nb',
  })
})

const asChange = (
  entity: 'client' | 'administration',
  payload: StoredClient | StoredAdministration,
) => ({
  entity,
  id: payload.id,
  voided: false,
  supersededBy: 'supersededBy' in payload ? payload.supersededBy : null,
  payload,
})

describe('applyRemoteChanges', () => {
  it('writes pulled records without outbox entries', async () => {
    await t.db.outbox.clear()
    const other = {
      ...client,
      id: '0190d6a0-0000-7000-8000-000000000001',
      code: 'NEW',
      codeSearch: 'new',
    }
    const result = await applyRemoteChanges(t.db, [asChange('client', other)])
    expect(result).toEqual({ applied: 1, kept: 0, ignored: 0, refused: [] })
    expect(await getClient(t.db, other.id)).toMatchObject({ code: 'NEW' })
    expect(await countPending(t.db)).toBe(0)
  })

  it('marks a supervisee’s client (access read) read-only, and clears the mark when it becomes one’s own', async () => {
    await t.db.outbox.clear()
    const theirs = {
      ...client,
      id: '0190d6a0-0000-7000-8000-000000000002',
      code: 'SUP1',
      codeSearch: 'sup1',
    }
    await applyRemoteChanges(t.db, [{ ...asChange('client', theirs), access: 'read' as const }])
    expect((await getClient(t.db, theirs.id))?.readOnly).toBe(true)
    // Handed over to this person later: the server now sends it with write access.
    await applyRemoteChanges(t.db, [{ ...asChange('client', theirs), access: 'write' as const }])
    expect((await getClient(t.db, theirs.id))?.readOnly).toBeUndefined()
  })

  it('S8: never overwrites a record with an unsent change, nor the base of an unsent correction', async () => {
    const next = await correct(t.db, form.id, {
      items: itemsOf('ORS', [1, 1, 1, 1]),
      reason: 'typo',
    })
    const serverBase = { ...form, supersededBy: null }
    const serverClient = { ...client, birthYear: 1950 }
    const result = await applyRemoteChanges(t.db, [
      asChange('administration', serverBase),
      asChange('client', serverClient),
    ])
    expect(result.kept).toBe(2)
    expect(await getAdministration(t.db, form.id)).toMatchObject({ supersededBy: next.id })
    expect((await getClient(t.db, client.id))?.birthYear).toBe(client.birthYear)
  })

  it('ignores a change whose payload names another record', async () => {
    const change = { ...asChange('client', client), id: 'something-else' }
    expect(await applyRemoteChanges(t.db, [change])).toMatchObject({ ignored: 1, applied: 0 })
  })
})

describe('wipeDevice', () => {
  it('clears every table, outbox and device id included, and leaves the reason', async () => {
    expect(await countPending(t.db)).toBeGreaterThan(0)
    await wipeDevice(t.db, 'device_revoked')
    expect(await t.db.clients.count()).toBe(0)
    expect(await t.db.episodes.count()).toBe(0)
    expect(await t.db.administrations.count()).toBe(0)
    expect(await countPending(t.db)).toBe(0)
    expect(await t.db.meta.count()).toBe(1)
    expect(await getWipeNotice(t.db)).toMatchObject({ reason: 'device_revoked' })
  })
})
