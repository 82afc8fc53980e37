import { describe, expect, it } from 'vitest'
import { episodeStatus } from '../../src/core/index.ts'
import {
  correct,
  createClient,
  deleteMeta,
  getMeta,
  listEpisodes,
  listForClient,
  META_KEYS,
  recordTyped,
  setMeta,
  startDraft,
  toCoreAdministration,
  toCoreEpisode,
} from '../../src/storage/index.ts'
import { freshDb, itemsOf } from './helpers.ts'

describe('meta', () => {
  it('stores small values across a reopen and deletes them', async () => {
    const t = freshDb()
    expect(await getMeta(t.db, META_KEYS.calibration)).toBeUndefined()
    await setMeta(t.db, META_KEYS.calibration, { mmPerPx: 0.26 })
    await setMeta(t.db, META_KEYS.clientMode, { draftId: 'x' })
    const db = t.reopen()
    expect(await getMeta<{ mmPerPx: number }>(db, META_KEYS.calibration)).toEqual({ mmPerPx: 0.26 })
    await deleteMeta(db, META_KEYS.clientMode)
    expect(await getMeta(db, META_KEYS.clientMode)).toBeUndefined()
  })
})

describe('core mapping', () => {
  it('hands the core only final forms, with voids and corrections it can read', async () => {
    const t = freshDb()
    const client = await createClient(t.db, { code: 'M', ageGroup: 'adult' })
    const typed = (markedAt: string, value: number) =>
      recordTyped(t.db, {
        clientId: client.id,
        instrumentId: 'ORS',
        items: itemsOf('ORS', value),
        rater: 'client',
        collectedBy: 'paper',
        markedAt,
        locale: 'nb',
      })
    const first = await typed('2025-01-01T10:00:00Z', 2)
    const second = await typed('2025-01-08T10:00:00Z', 3)
    await correct(t.db, second.id, { items: itemsOf('ORS', 9), reason: 'typo' })
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'SRS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    expect(toCoreAdministration(draft)).toBeNull()
    expect(toCoreAdministration(first)).toMatchObject({
      total: 8,
      voided: false,
      supersededBy: null,
      session: 1,
    })
    const [episode] = await listEpisodes(t.db, client.id)
    if (!episode) throw new Error('episode')
    const all = await listForClient(t.db, client.id, {
      includeDrafts: true,
      includeSuperseded: true,
      includeVoided: true,
    })
    const core = toCoreEpisode(episode, client, all)
    expect(core.administrations).toHaveLength(3)
    // Intake 8, corrected latest 36: the core follows the corrected version, not the typo.
    expect(episodeStatus(core).position).toMatchObject({ intake: 8, score: 36 })
  })
})
