import { beforeEach, describe, expect, it } from 'vitest'
import type { InstrumentId, Rater } from '../../src/core/index.ts'
import {
  correct,
  createClient,
  endEpisode,
  finalize,
  listEpisodes,
  nextSessionFor,
  recordTyped,
  type StoredClient,
  saveMark,
  startDraft,
  voidAdministration,
} from '../../src/storage/index.ts'
import { freshDb, itemIds, itemsOf, type TestDb } from './helpers.ts'

let t: TestDb
let client: StoredClient
beforeEach(async () => {
  t = freshDb()
  client = await createClient(t.db, { code: 'S1', ageGroup: 'adult' })
})

/** Marks a form on the tablet and makes it final; returns its session number. */
async function tablet(
  instrumentId: InstrumentId,
  rater: Rater = 'client',
  clientId = client.id,
): Promise<number> {
  const draft = await startDraft(t.db, {
    clientId,
    instrumentId,
    rater,
    collectedBy: 'tablet',
    locale: 'nb',
  })
  for (const id of itemIds(instrumentId)) await saveMark(t.db, draft.id, id, 5)
  const final = await finalize(t.db, draft.id)
  return final.session
}

describe('session numbering', () => {
  it('gives the ORS and the SRS of one visit the same number, and the next visit the next', async () => {
    expect(await tablet('ORS')).toBe(1)
    expect(await tablet('SRS')).toBe(1)
    expect(await tablet('ORS')).toBe(2)
    expect(await tablet('SRS')).toBe(2)
    expect(await tablet('ORS')).toBe(3)
  })

  it('counts a visit with only an outcome form, and gives a lone SRS its own number', async () => {
    expect(await tablet('ORS')).toBe(1)
    expect(await tablet('ORS')).toBe(2) // no SRS in visit 1
    expect(await tablet('SRS')).toBe(2)
    expect(await tablet('SRS')).toBe(3) // visit 3: ORS forgotten, SRS only
    expect(await tablet('ORS')).toBe(4) // not 3: numbers stay unique
  })

  it('starts at 1 for an SRS in a new episode and for a child’s forms', async () => {
    expect(await tablet('SRS')).toBe(1)
    const child = await createClient(t.db, { code: 'S2', ageGroup: 'child' })
    expect(await tablet('CORS', 'client', child.id)).toBe(1)
    expect(await tablet('CSRS', 'client', child.id)).toBe(1)
    expect(await tablet('CORS', 'client', child.id)).toBe(2)
  })

  it('ignores drafts, voided forms and replaced versions', async () => {
    const clientDraft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    const parentDraft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'parent',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    expect([clientDraft.session, parentDraft.session]).toEqual([1, 1]) // two drafts of one visit
    const first = await recordTyped(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      items: itemsOf('ORS', 4),
      rater: 'client',
      collectedBy: 'paper',
      markedAt: '2025-03-01T10:00:00Z',
      locale: 'nb',
    })
    expect(first.session).toBe(1)
    const fixed = await correct(t.db, first.id, { items: itemsOf('ORS', 5), reason: 'typo' })
    expect(fixed.session).toBe(1)
    expect(await nextSessionFor(t.db, first.episodeId, 'ORS')).toBe(2)
    expect(await nextSessionFor(t.db, first.episodeId, 'SRS')).toBe(1)
    await voidAdministration(t.db, fixed.id, 'wrong client')
    expect(await nextSessionFor(t.db, first.episodeId, 'ORS')).toBe(1)
  })

  it('takes an explicit session for a collateral rater in a meeting under way', async () => {
    expect(await tablet('ORS')).toBe(1)
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'parent',
      collectedBy: 'tablet',
      locale: 'nb',
      session: 1,
    })
    expect(draft.session).toBe(1)
  })

  it('gives a draft finished after later forms the next number, not the one it was started with', async () => {
    expect(await tablet('ORS')).toBe(1)
    const stale = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    expect(stale.session).toBe(2)
    expect(await tablet('ORS')).toBe(2) // the draft did not use up number 2
    expect(await tablet('SRS')).toBe(2)
    for (const id of itemIds('ORS')) await saveMark(t.db, stale.id, id, 6)
    expect((await finalize(t.db, stale.id)).session).toBe(3)
  })

  it('starts again at 1 in a new episode', async () => {
    expect(await tablet('ORS')).toBe(1)
    expect(await tablet('ORS')).toBe(2)
    const [episode] = await listEpisodes(t.db, client.id)
    await endEpisode(t.db, episode?.id ?? '', { ending: 'planned', endStatus: 'green' })
    expect(await tablet('ORS')).toBe(1)
  })
})
