import { beforeEach, describe, expect, it } from 'vitest'
import {
  countPending,
  createClient,
  discardDraft,
  finalize,
  findDrafts,
  getAdministration,
  listEpisodes,
  pendingOutbox,
  type StoredClient,
  saveMark,
  startDraft,
} from '../../src/storage/index.ts'
import { expectStorageError, freshDb, itemIds, type TestDb } from './helpers.ts'

let t: TestDb
let client: StoredClient
beforeEach(async () => {
  t = freshDb()
  client = await createClient(t.db, { code: 'D1', ageGroup: 'adult' })
})

const ors = () =>
  startDraft(t.db, {
    clientId: client.id,
    instrumentId: 'ORS',
    rater: 'client',
    collectedBy: 'tablet',
    locale: 'nn',
  })

describe('startDraft', () => {
  it('starts with every item unmarked (null, not 0) in the open episode, outside the outbox', async () => {
    const before = await countPending(t.db)
    const draft = await ors()
    expect(draft).toMatchObject({
      status: 'draft',
      total: null,
      session: 1,
      locale: 'nn',
      instrumentVersion: '1',
    })
    expect(draft.items).toEqual(Object.fromEntries(itemIds('ORS').map((id) => [id, null])))
    const [episode] = await listEpisodes(t.db, client.id)
    expect(draft.episodeId).toBe(episode?.id)
    const entries = (await pendingOutbox(t.db)).slice(before)
    // The new episode is queued; the draft is not.
    expect(entries.map((e) => e.entity)).toEqual(['episode'])
  })

  it('refuses an unknown instrument, a rater the form does not have, a bad session and an unknown client', async () => {
    const base = { clientId: client.id, collectedBy: 'tablet', locale: 'nb' } as const
    await expectStorageError(
      startDraft(t.db, { ...base, instrumentId: 'XYZ' as 'ORS', rater: 'client' }),
      'unknown-instrument',
    )
    await expectStorageError(
      startDraft(t.db, { ...base, instrumentId: 'SRS', rater: 'parent' }),
      'invalid-rater',
    )
    await expectStorageError(
      startDraft(t.db, { ...base, instrumentId: 'ORS', rater: 'client', session: 0 }),
      'invalid-argument',
    )
    await expectStorageError(
      startDraft(t.db, { ...base, instrumentId: 'ORS', rater: 'client', locale: 'sv' as 'nb' }),
      'invalid-argument',
    )
    await expectStorageError(
      startDraft(t.db, { ...base, clientId: 'ghost', instrumentId: 'ORS', rater: 'client' }),
      'not-found',
    )
    expect(await findDrafts(t.db)).toEqual([])
  })

  it('keeps group-session members apart, one record each', async () => {
    const group = 'group-1'
    const other = await createClient(t.db, { code: 'D2', ageGroup: 'adult' })
    for (const [c, label] of [
      [client.id, 'A'],
      [other.id, 'B'],
    ] as const) {
      await startDraft(t.db, {
        clientId: c,
        instrumentId: 'GSRS',
        rater: 'client',
        collectedBy: 'tablet',
        locale: 'nb',
        groupSessionId: group,
        memberLabel: label,
      })
    }
    const drafts = await findDrafts(t.db)
    expect(drafts.map((d) => [d.clientId, d.memberLabel, d.groupSessionId]).sort()).toEqual(
      [
        [client.id, 'A', group],
        [other.id, 'B', group],
      ].sort(),
    )
  })
})

describe('saveMark', () => {
  it('stores each mark at once, normalised to tenths, and a null clears it', async () => {
    const draft = await ors()
    const [a, b] = itemIds('ORS')
    if (!a || !b) throw new Error('ORS has items')
    await saveMark(t.db, draft.id, a, 7.3)
    await saveMark(t.db, draft.id, b, 0)
    let stored = await getAdministration(t.db, draft.id)
    expect(stored?.items[a]).toBe(7.3)
    expect(stored?.items[b]).toBe(0)
    expect((stored?.markedAt ?? '') > draft.markedAt).toBe(true)
    await saveMark(t.db, draft.id, a, 3.3000000000000003)
    await saveMark(t.db, draft.id, b, null)
    stored = await getAdministration(t.db, draft.id)
    expect(stored?.items[a]).toBe(3.3)
    expect(stored?.items[b]).toBeNull()
  })

  it('refuses unknown items and invalid scores with the core’s reason, keeping the mark', async () => {
    const draft = await ors()
    const [a] = itemIds('ORS')
    if (!a) throw new Error('ORS has items')
    await saveMark(t.db, draft.id, a, 5)
    await expectStorageError(saveMark(t.db, draft.id, 'srs.goals', 5), 'unknown-item')
    const high = await expectStorageError(saveMark(t.db, draft.id, a, 10.1), 'invalid-score')
    expect(high.scoreErrors[0]?.code).toBe('out-of-range')
    const negative = await expectStorageError(saveMark(t.db, draft.id, a, -0.1), 'invalid-score')
    expect(negative.scoreErrors[0]?.code).toBe('out-of-range')
    const fine = await expectStorageError(saveMark(t.db, draft.id, a, 4.25), 'invalid-score')
    expect(fine.scoreErrors[0]?.code).toBe('too-many-decimals')
    await expectStorageError(saveMark(t.db, draft.id, a, Number.NaN), 'invalid-score')
    await expectStorageError(saveMark(t.db, 'ghost', a, 1), 'not-found')
    expect((await getAdministration(t.db, draft.id))?.items[a]).toBe(5)
  })

  it('survives closing and reopening the database exactly, marks and nulls alike', async () => {
    const draft = await ors()
    const ids = itemIds('ORS')
    await saveMark(t.db, draft.id, ids[0] ?? '', 0)
    await saveMark(t.db, draft.id, ids[2] ?? '', 9.9)
    const before = await getAdministration(t.db, draft.id)
    const db = t.reopen()
    const after = await getAdministration(db, draft.id)
    expect(after).toEqual(before)
    expect(after?.items).toEqual({
      [ids[0] ?? '']: 0,
      [ids[1] ?? '']: null,
      [ids[2] ?? '']: 9.9,
      [ids[3] ?? '']: null,
    })
    expect((await findDrafts(db)).map((d) => d.id)).toEqual([draft.id])
  })
})

describe('finalize', () => {
  it('lists the missing items and leaves the draft as it was', async () => {
    const draft = await ors()
    const ids = itemIds('ORS')
    await saveMark(t.db, draft.id, ids[0] ?? '', 4)
    await saveMark(t.db, draft.id, ids[1] ?? '', 0)
    const before = await countPending(t.db)
    const error = await expectStorageError(finalize(t.db, draft.id), 'incomplete')
    expect(error.missingItems).toEqual([ids[2], ids[3]])
    expect((await getAdministration(t.db, draft.id))?.status).toBe('draft')
    expect(await countPending(t.db)).toBe(before)
  })

  it('makes the form final with its total and queues it in the same step', async () => {
    const draft = await ors()
    const scores = [7.3, 2.1, 0, 10]
    for (const [i, id] of itemIds('ORS').entries())
      await saveMark(t.db, draft.id, id, scores[i] ?? 0)
    const final = await finalize(t.db, draft.id, { markedAt: '2025-03-03T10:15:00+01:00' })
    expect(final).toMatchObject({
      status: 'final',
      total: 19.4,
      markedAt: '2025-03-03T09:15:00.000Z',
    })
    expect(await getAdministration(t.db, draft.id)).toEqual(final)
    const entry = (await pendingOutbox(t.db)).at(-1)
    expect(entry).toMatchObject({
      entity: 'administration',
      op: 'create',
      entityId: draft.id,
      payload: final,
    })
    expect(await findDrafts(t.db)).toEqual([])
    await expectStorageError(saveMark(t.db, draft.id, itemIds('ORS')[0] ?? '', 1), 'not-a-draft')
    await expectStorageError(finalize(t.db, draft.id), 'not-a-draft')
  })
})

describe('findDrafts and discardDraft', () => {
  it('finds drafts newest first, per client, and discards only drafts', async () => {
    const first = await ors()
    const other = await createClient(t.db, { code: 'D3', ageGroup: 'adult' })
    const second = await startDraft(t.db, {
      clientId: other.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    expect((await findDrafts(t.db)).map((d) => d.id)).toEqual([second.id, first.id])
    await saveMark(t.db, first.id, itemIds('ORS')[0] ?? '', 1)
    expect((await findDrafts(t.db)).map((d) => d.id)).toEqual([first.id, second.id])
    expect((await findDrafts(t.db, { clientId: other.id })).map((d) => d.id)).toEqual([second.id])
    await discardDraft(t.db, second.id)
    expect(await getAdministration(t.db, second.id)).toBeUndefined()
    for (const id of itemIds('ORS')) await saveMark(t.db, first.id, id, 5)
    await finalize(t.db, first.id)
    await expectStorageError(discardDraft(t.db, first.id), 'not-a-draft')
    await expectStorageError(discardDraft(t.db, 'ghost'), 'not-found')
    expect(await getAdministration(t.db, first.id)).toBeDefined()
  })
})
