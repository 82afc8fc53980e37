import { beforeEach, describe, expect, it } from 'vitest'
import {
  correct,
  countPending,
  createClient,
  getAdministration,
  listForClient,
  pendingOutbox,
  recordTyped,
  type StoredClient,
  saveMark,
  startDraft,
  type TypedForm,
  voidAdministration,
} from '../../src/storage/index.ts'
import { expectStorageError, freshDb, itemIds, itemsOf, type TestDb } from './helpers.ts'

let t: TestDb
let client: StoredClient
beforeEach(async () => {
  t = freshDb()
  client = await createClient(t.db, { code: 'T1', ageGroup: 'adult' })
})

function paper(overrides: Partial<TypedForm> = {}): TypedForm {
  return {
    clientId: client.id,
    instrumentId: 'ORS',
    items: itemsOf('ORS', [5, 6, 7, 8]),
    rater: 'client',
    collectedBy: 'paper',
    markedAt: '2025-02-01T10:00:00Z',
    locale: 'nb',
    ...overrides,
  }
}

describe('recordTyped', () => {
  it('stores a paper form final with its total and queues it', async () => {
    const record = await recordTyped(t.db, paper())
    expect(record).toMatchObject({
      status: 'final',
      total: 26,
      collectedBy: 'paper',
      markedAt: '2025-02-01T10:00:00.000Z',
    })
    expect((await pendingOutbox(t.db)).at(-1)).toMatchObject({
      op: 'create',
      entityId: record.id,
      payload: record,
    })
  })

  it('refuses bad values with the core’s errors and writes nothing', async () => {
    const before = await countPending(t.db)
    const ids = itemIds('ORS')
    const bad = await expectStorageError(
      recordTyped(
        t.db,
        paper({ items: { ...itemsOf('ORS', 5), [ids[0] ?? '']: 11, [ids[1] ?? '']: 2.55 } }),
      ),
      'invalid-items',
    )
    expect(bad.scoreErrors.map((e) => e.code).sort()).toEqual(['out-of-range', 'too-many-decimals'])
    const missing = await expectStorageError(
      recordTyped(t.db, paper({ items: { ...itemsOf('ORS', 5), [ids[3] ?? '']: null } })),
      'incomplete',
    )
    expect(missing.missingItems).toEqual([ids[3]])
    await expectStorageError(
      recordTyped(t.db, paper({ items: { ...itemsOf('ORS', 5), extra: 1 } })),
      'invalid-items',
    )
    await expectStorageError(
      recordTyped(t.db, paper({ collectedBy: 'tablet' as 'paper' })),
      'invalid-argument',
    )
    await expectStorageError(recordTyped(t.db, paper({ markedAt: '1/2/2025' })), 'invalid-argument')
    await expectStorageError(recordTyped(t.db, paper({ clientId: 'ghost' })), 'not-found')
    expect(
      await listForClient(t.db, client.id, { includeDrafts: true, includeVoided: true }),
    ).toEqual([])
    expect(await countPending(t.db)).toBe(before)
  })
})

describe('correct', () => {
  it('makes a new version, keeps the old one pointing at it, and queues a correct with its base', async () => {
    const v1 = await recordTyped(t.db, paper())
    const v2 = await correct(t.db, v1.id, { items: itemsOf('ORS', [5, 6, 7, 3]), reason: ' typo ' })
    expect(v2.id).not.toBe(v1.id)
    expect(v2).toMatchObject({
      total: 21,
      versionOf: v1.id,
      supersedes: v1.id,
      supersededBy: null,
      correctionReason: 'typo',
      session: v1.session,
      episodeId: v1.episodeId,
      markedAt: v1.markedAt,
    })
    expect(await getAdministration(t.db, v1.id)).toMatchObject({ total: 26, supersededBy: v2.id })
    const entry = (await pendingOutbox(t.db)).at(-1)
    expect(entry).toMatchObject({ op: 'correct', entityId: v2.id, baseVersion: v1.id, payload: v2 })

    const v3 = await correct(t.db, v2.id, {
      items: itemsOf('ORS', [5, 6, 7, 4]),
      reason: 'second look',
    })
    expect(v3).toMatchObject({ versionOf: v1.id, supersedes: v2.id })
    expect((await listForClient(t.db, client.id)).map((a) => a.id)).toEqual([v3.id])
    expect(
      (await listForClient(t.db, client.id, { includeSuperseded: true })).map((a) => a.id),
    ).toEqual([v1.id, v2.id, v3.id])
  })

  it('refuses an old version, a draft, a void, no reason, invalid or unchanged items', async () => {
    const v1 = await recordTyped(t.db, paper())
    await expectStorageError(
      correct(t.db, v1.id, { items: itemsOf('ORS', 1), reason: '  ' }),
      'reason-required',
    )
    await expectStorageError(
      correct(t.db, v1.id, { items: itemsOf('ORS', [5, 6, 7, 8]), reason: 'r' }),
      'invalid-argument',
    )
    await expectStorageError(
      correct(t.db, v1.id, { items: itemsOf('ORS', 12), reason: 'r' }),
      'invalid-items',
    )
    await correct(t.db, v1.id, { items: itemsOf('ORS', 1), reason: 'r' })
    await expectStorageError(
      correct(t.db, v1.id, { items: itemsOf('ORS', 2), reason: 'r' }),
      'superseded',
    )
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    await expectStorageError(
      correct(t.db, draft.id, { items: itemsOf('ORS', 2), reason: 'r' }),
      'not-final',
    )
    const other = await recordTyped(t.db, paper({ markedAt: '2025-02-08T10:00:00Z' }))
    await voidAdministration(t.db, other.id, 'wrong client')
    await expectStorageError(
      correct(t.db, other.id, { items: itemsOf('ORS', 2), reason: 'r' }),
      'voided',
    )
    await expectStorageError(
      correct(t.db, 'ghost', { items: itemsOf('ORS', 2), reason: 'r' }),
      'not-found',
    )
  })
})

describe('voidAdministration', () => {
  it('keeps the record with its reason, hides it by default and queues a void', async () => {
    const record = await recordTyped(t.db, paper())
    const voided = await voidAdministration(t.db, record.id, '  wrong client ')
    expect(voided.voided).toEqual({ reason: 'wrong client', at: voided.updatedAt })
    expect(voided.items).toEqual(record.items)
    expect(await getAdministration(t.db, record.id)).toEqual(voided)
    expect(await listForClient(t.db, client.id)).toEqual([])
    expect(await listForClient(t.db, client.id, { includeVoided: true })).toEqual([voided])
    expect((await pendingOutbox(t.db)).at(-1)).toMatchObject({
      op: 'void',
      entityId: record.id,
      payload: voided,
    })
    await expectStorageError(voidAdministration(t.db, record.id, 'again'), 'voided')
  })

  it('needs a reason and a current final version', async () => {
    const record = await recordTyped(t.db, paper())
    await expectStorageError(voidAdministration(t.db, record.id, ''), 'reason-required')
    expect((await getAdministration(t.db, record.id))?.voided).toBeNull()
    await correct(t.db, record.id, { items: itemsOf('ORS', 1), reason: 'r' })
    await expectStorageError(voidAdministration(t.db, record.id, 'x'), 'superseded')
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    await expectStorageError(voidAdministration(t.db, draft.id, 'x'), 'not-final')
  })
})

describe('listing', () => {
  it('lists a client’s forms by markedAt, whatever order they were entered in', async () => {
    const late = await recordTyped(t.db, paper({ markedAt: '2025-02-20T10:00:00Z' }))
    const early = await recordTyped(t.db, paper({ markedAt: '2025-01-05T10:00:00Z' }))
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'SRS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    await saveMark(t.db, draft.id, 'srs.goals', 4)
    const other = await createClient(t.db, { code: 'T2', ageGroup: 'adult' })
    await recordTyped(t.db, paper({ clientId: other.id }))
    expect((await listForClient(t.db, client.id)).map((a) => a.id)).toEqual([early.id, late.id])
    expect(
      (await listForClient(t.db, client.id, { includeDrafts: true })).map((a) => a.id),
    ).toEqual([early.id, late.id, draft.id])
  })
})
