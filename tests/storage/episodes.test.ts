import { beforeEach, describe, expect, it } from 'vitest'
import {
  createClient,
  endEpisode,
  findDrafts,
  getEpisode,
  listEpisodes,
  openEpisodeFor,
  pendingOutbox,
  reopenEpisode,
  type StoredClient,
  startDraft,
  startNewEpisode,
} from '../../src/storage/index.ts'
import { expectStorageError, freshDb, type TestDb } from './helpers.ts'

let t: TestDb
let client: StoredClient
beforeEach(async () => {
  t = freshDb()
  client = await createClient(t.db, { code: 'E1', ageGroup: 'adult' })
})

describe('openEpisodeFor', () => {
  it('creates one open episode and returns the same one afterwards', async () => {
    const first = await openEpisodeFor(t.db, client.id)
    expect(first).toMatchObject({
      clientId: client.id,
      endedAt: null,
      ending: null,
      endStatus: null,
    })
    const again = await openEpisodeFor(t.db, client.id)
    expect(again.id).toBe(first.id)
    expect(await listEpisodes(t.db, client.id)).toHaveLength(1)
    const episodeEntries = (await pendingOutbox(t.db)).filter((e) => e.entity === 'episode')
    expect(episodeEntries.map((e) => [e.op, e.entityId])).toEqual([['create', first.id]])
  })

  it('makes only one episode when asked twice at once', async () => {
    const [a, b] = await Promise.all([
      openEpisodeFor(t.db, client.id),
      openEpisodeFor(t.db, client.id),
    ])
    expect(a.id).toBe(b.id)
    expect(await listEpisodes(t.db, client.id)).toHaveLength(1)
  })

  it('starts a new episode after the previous one ended', async () => {
    const first = await openEpisodeFor(t.db, client.id)
    await endEpisode(t.db, first.id, { ending: 'planned', endStatus: 'green' })
    const second = await openEpisodeFor(t.db, client.id)
    expect(second.id).not.toBe(first.id)
    expect((await listEpisodes(t.db, client.id)).map((e) => e.id)).toEqual([first.id, second.id])
  })

  it('refuses an unknown client', async () => {
    await expectStorageError(openEpisodeFor(t.db, 'ghost'), 'not-found')
  })
})

describe('endEpisode', () => {
  it('stores ending, end status and end time, and queues an end', async () => {
    const episode = await openEpisodeFor(t.db, client.id)
    const ended = await endEpisode(t.db, episode.id, {
      ending: 'referred',
      endStatus: 'orange',
      endedAt: '2025-03-10T12:00:00+01:00',
    })
    expect(ended).toMatchObject({
      ending: 'referred',
      endStatus: 'orange',
      endedAt: '2025-03-10T11:00:00.000Z',
    })
    expect(await getEpisode(t.db, episode.id)).toEqual(ended)
    const last = (await pendingOutbox(t.db)).at(-1)
    expect(last).toMatchObject({
      entity: 'episode',
      op: 'end',
      entityId: episode.id,
      payload: ended,
    })
  })

  it('refuses ending twice, unknown values, a bad date and an unknown episode', async () => {
    const episode = await openEpisodeFor(t.db, client.id)
    await expectStorageError(
      endEpisode(t.db, episode.id, { ending: 'finished' as 'planned', endStatus: null }),
      'invalid-argument',
    )
    await expectStorageError(
      endEpisode(t.db, episode.id, { ending: 'planned', endStatus: 'blue' as 'red' }),
      'invalid-argument',
    )
    await expectStorageError(
      endEpisode(t.db, episode.id, { ending: 'planned', endStatus: null, endedAt: 'yesterday' }),
      'invalid-argument',
    )
    await expectStorageError(
      endEpisode(t.db, episode.id, {
        ending: 'planned',
        endStatus: null,
        endedAt: '2020-01-01T00:00:00Z',
      }),
      'invalid-argument',
    )
    expect((await getEpisode(t.db, episode.id))?.endedAt).toBeNull()
    await endEpisode(t.db, episode.id, { ending: 'unplanned', endStatus: null })
    await expectStorageError(
      endEpisode(t.db, episode.id, { ending: 'planned', endStatus: null }),
      'episode-ended',
    )
    await expectStorageError(
      endEpisode(t.db, 'nope', { ending: 'planned', endStatus: null }),
      'not-found',
    )
  })
})

describe('ending by mistake, and coming back', () => {
  it('reopens an ended episode with a reason kept in its history, and queues the change', async () => {
    const episode = await openEpisodeFor(t.db, client.id)
    const ended = await endEpisode(t.db, episode.id, { ending: 'unplanned', endStatus: 'red' })
    const reopened = await reopenEpisode(t.db, episode.id, '  Feil klient  ')
    expect(reopened).toMatchObject({ endedAt: null, ending: null, endStatus: null })
    expect(reopened.reopenings).toEqual([
      {
        at: reopened.updatedAt,
        reason: 'Feil klient',
        endedAt: ended.endedAt,
        ending: 'unplanned',
      },
    ])
    expect(await getEpisode(t.db, episode.id)).toEqual(reopened)
    expect((await pendingOutbox(t.db)).at(-1)).toMatchObject({
      entity: 'episode',
      op: 'update',
      entityId: episode.id,
      payload: reopened,
    })
    // Ended and reopened again: both endings stay in the history.
    await endEpisode(t.db, episode.id, { ending: 'planned', endStatus: 'green' })
    const again = await reopenEpisode(t.db, episode.id, 'Ikke ferdig likevel')
    expect(again.reopenings?.map((r) => r.ending)).toEqual(['unplanned', 'planned'])
  })

  it('refuses a reopening without a reason, of an open episode, or of an older episode', async () => {
    const first = await openEpisodeFor(t.db, client.id)
    await expectStorageError(reopenEpisode(t.db, first.id, 'x'), 'invalid-argument')
    await endEpisode(t.db, first.id, { ending: 'planned', endStatus: 'green' })
    await expectStorageError(reopenEpisode(t.db, first.id, '   '), 'reason-required')
    await expectStorageError(reopenEpisode(t.db, first.id, 'x'.repeat(501)), 'invalid-argument')
    const second = await startNewEpisode(t.db, client.id)
    await expectStorageError(reopenEpisode(t.db, first.id, 'feil'), 'episode-open')
    await endEpisode(t.db, second.id, { ending: 'planned', endStatus: 'green' })
    await expectStorageError(reopenEpisode(t.db, first.id, 'feil'), 'episode-not-latest')
    expect((await getEpisode(t.db, first.id))?.endedAt).not.toBeNull()
    await expectStorageError(reopenEpisode(t.db, 'nope', 'feil'), 'not-found')
  })

  it('starts a new episode ("Nytt forløp") only when none is open', async () => {
    const first = await openEpisodeFor(t.db, client.id)
    await expectStorageError(startNewEpisode(t.db, client.id), 'episode-open')
    await endEpisode(t.db, first.id, { ending: 'planned', endStatus: 'green' })
    const second = await startNewEpisode(t.db, client.id)
    expect(second).toMatchObject({ clientId: client.id, endedAt: null })
    expect((await listEpisodes(t.db, client.id)).map((e) => e.id)).toEqual([first.id, second.id])
    expect((await pendingOutbox(t.db)).at(-1)).toMatchObject({ op: 'create', entityId: second.id })
    await expectStorageError(startNewEpisode(t.db, 'ghost'), 'not-found')
  })

  it('discards the unfinished forms of an episode when it ends', async () => {
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    expect(await findDrafts(t.db, { clientId: client.id })).toHaveLength(1)
    await endEpisode(t.db, draft.episodeId, { ending: 'planned', endStatus: null })
    expect(await findDrafts(t.db, { clientId: client.id })).toEqual([])
  })
})
