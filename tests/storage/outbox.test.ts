import { describe, expect, it } from 'vitest'
import {
  countPending,
  createClient,
  getDeviceId,
  getMeta,
  META_KEYS,
  pendingOutbox,
  setMeta,
} from '../../src/storage/index.ts'
import { expectStorageError, freshDb } from './helpers.ts'

async function clients(t: ReturnType<typeof freshDb>, codes: string[]): Promise<void> {
  for (const code of codes) await createClient(t.db, { code, ageGroup: 'adult' })
}

describe('outbox', () => {
  it('stamps every entry with the one device id (UUID v7) and a growing sequence', async () => {
    const t = freshDb()
    await clients(t, ['a', 'b', 'c'])
    const entries = await pendingOutbox(t.db)
    const deviceId = await getDeviceId(t.db)
    expect(deviceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
    expect(entries.map((e) => e.deviceId)).toEqual([deviceId, deviceId, deviceId])
    const seqs = entries.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(entries.map((e) => e.opId)).size).toBe(3)
    expect(await getMeta(t.db, META_KEYS.deviceId)).toBe(deviceId)
    expect(await getDeviceId(t.reopen())).toBe(deviceId)
  })

  it('pages oldest first', async () => {
    const t = freshDb()
    await clients(t, ['a', 'b', 'c'])
    const page = await pendingOutbox(t.db, 2)
    expect(page.map((e) => (e.payload as { code: string }).code)).toEqual(['a', 'b'])
  })

  it('never reuses a sequence number after acknowledgements, even across a reopen', async () => {
    const t = freshDb()
    await clients(t, ['a', 'b'])
    const firstMax = Math.max(...(await pendingOutbox(t.db)).map((e) => e.seq))
    // What the sync engine does with entries the server acknowledged (src/sync/outbox-wire.ts).
    await t.db.outbox.bulkDelete(await t.db.outbox.toCollection().primaryKeys())
    expect(await countPending(t.db)).toBe(0)
    const db = t.reopen()
    await createClient(db, { code: 'c', ageGroup: 'adult' })
    const [next] = await pendingOutbox(db)
    expect(next?.seq).toBeGreaterThan(firstMax)
  })

  it('keeps the device id from being overwritten through setMeta', async () => {
    const t = freshDb()
    const id = await getDeviceId(t.db)
    await expectStorageError(setMeta(t.db, META_KEYS.deviceId, 'clone'), 'invalid-argument')
    expect(await getDeviceId(t.db)).toBe(id)
  })
})
