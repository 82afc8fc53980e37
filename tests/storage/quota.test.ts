import Dexie, { type DBCore } from 'dexie'
import { describe, expect, it } from 'vitest'
import { toStorageError } from '../../src/storage/errors.ts'
import {
  countPending,
  createClient,
  finalize,
  getAdministration,
  isQuotaError,
  listClients,
  listForClient,
  pendingOutbox,
  recordTyped,
  StorageError,
  saveMark,
  setMeta,
  startDraft,
} from '../../src/storage/index.ts'
import { expectStorageError, freshDb, itemIds, itemsOf } from './helpers.ts'

/**
 * A database whose IndexedDB writes to `failTable` reject as a full disk would, once `full` is
 * set: the failure happens at the lowest layer, inside the transaction, after other writes.
 */
function dbWithQuota(failTable: string) {
  const t = freshDb()
  const disk = { full: false }
  t.db.use({
    stack: 'dbcore',
    name: 'simulated-quota',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name)
        return {
          ...table,
          mutate: (req) =>
            disk.full && name === failTable
              ? Promise.reject(
                  new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
                )
              : table.mutate(req),
        }
      },
    }),
  })
  return { ...t, disk }
}

describe('quota exceeded', () => {
  it('turns a failed outbox write into a typed error and leaves neither record nor entry', async () => {
    const t = dbWithQuota('outbox')
    const kept = await createClient(t.db, { code: 'kept', ageGroup: 'adult' })
    t.disk.full = true
    const error = await expectStorageError(
      createClient(t.db, { code: 'lost', ageGroup: 'adult' }),
      'quota-exceeded',
    )
    expect(error.message).toMatch(/no room/i)
    t.disk.full = false
    expect((await listClients(t.db)).map((c) => c.id)).toEqual([kept.id])
    expect((await pendingOutbox(t.db)).map((e) => e.entityId)).toEqual([kept.id])
  })

  it('keeps a draft a draft, with its marks, when finalising fails', async () => {
    const t = dbWithQuota('outbox')
    const client = await createClient(t.db, { code: 'q', ageGroup: 'adult' })
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    for (const id of itemIds('ORS')) await saveMark(t.db, draft.id, id, 6.5)
    const before = await getAdministration(t.db, draft.id)
    const pending = await countPending(t.db)
    t.disk.full = true
    await expectStorageError(finalize(t.db, draft.id), 'quota-exceeded')
    t.disk.full = false
    expect(await getAdministration(t.db, draft.id)).toEqual(before)
    expect(await countPending(t.db)).toBe(pending)
    expect((await finalize(t.db, draft.id)).status).toBe('final')
  })

  it('writes nothing of a typed form, and keeps the previous mark when a mark fails', async () => {
    const t = dbWithQuota('administrations')
    const client = await createClient(t.db, { code: 'q', ageGroup: 'adult' })
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    const item = itemIds('ORS')[0] ?? ''
    await saveMark(t.db, draft.id, item, 2)
    const pending = await countPending(t.db)
    t.disk.full = true
    await expectStorageError(saveMark(t.db, draft.id, item, 8), 'quota-exceeded')
    await expectStorageError(
      recordTyped(t.db, {
        clientId: client.id,
        instrumentId: 'ORS',
        items: itemsOf('ORS', 5),
        rater: 'client',
        collectedBy: 'phone',
        markedAt: '2025-03-01T10:00:00Z',
        locale: 'nb',
      }),
      'quota-exceeded',
    )
    t.disk.full = false
    expect((await getAdministration(t.db, draft.id))?.items[item]).toBe(2)
    expect(await listForClient(t.db, client.id, { includeDrafts: true })).toHaveLength(1)
    expect(await countPending(t.db)).toBe(pending)
  })

  it('maps a full disk during a settings write too', async () => {
    const t = dbWithQuota('meta')
    t.disk.full = true
    await expectStorageError(setMeta(t.db, 'calibration', { mmPerPx: 0.2 }), 'quota-exceeded')
  })

  it('recognises the quota error in the shapes Dexie and browsers deliver it', () => {
    const dom = new DOMException('full', 'QuotaExceededError')
    const dexie = new Dexie.QuotaExceededError('full')
    const aborted = new Dexie.AbortError('Transaction aborted', dom)
    for (const e of [dom, dexie, aborted, new Error('wrapped', { cause: dom })]) {
      expect(isQuotaError(e)).toBe(true)
      expect(toStorageError(e)).toBeInstanceOf(StorageError)
    }
    const other = new Dexie.ConstraintError('dup')
    expect(isQuotaError(other)).toBe(false)
    expect(toStorageError(other)).toBe(other)
  })
})
