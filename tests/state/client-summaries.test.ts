import { afterEach, describe, expect, it } from 'vitest'
import { summariseAll } from '../../src/state/client-summaries.ts'
import {
  createClient,
  endEpisode,
  finalize,
  listAllAdministrations,
  listAllEpisodes,
  listClients,
  recordTyped,
  saveMark,
  startDraft,
} from '../../src/storage/index.ts'
import { freshDb, itemIds, itemsOf, type TestDb } from '../storage/helpers.ts'

const TODAY = '2025-03-03'

async function summaries(t: TestDb) {
  const [clients, episodes, records] = await Promise.all([
    listClients(t.db),
    listAllEpisodes(t.db),
    listAllAdministrations(t.db, { includeDrafts: true }),
  ])
  return summariseAll(clients, episodes, records, TODAY)
}

async function typedOrs(t: TestDb, clientId: string, value: number, markedAt: string) {
  return recordTyped(t.db, {
    clientId,
    instrumentId: 'ORS',
    items: itemsOf('ORS', value),
    rater: 'client',
    collectedBy: 'paper',
    markedAt,
    locale: 'nb',
  })
}

describe('client list summaries', () => {
  let t: TestDb
  afterEach(() => t?.db.close())

  it('puts red before orange, green and grey, and names the next step for each', async () => {
    t = freshDb()
    const grey = await createClient(t.db, { code: 'A-grey', birthYear: 1980 })
    const red = await createClient(t.db, { code: 'B-red', birthYear: 1980 })
    const green = await createClient(t.db, { code: 'C-green', birthYear: 1980 })
    // 20 -> 14.8: a drop of more than 5 points is reliable deterioration -> red.
    await typedOrs(t, red.id, 5, '2025-02-01T10:00:00.000Z')
    await typedOrs(t, red.id, 3.7, '2025-02-08T10:00:00.000Z')
    // 18 -> 30: well above any target -> green.
    await typedOrs(t, green.id, 4.5, '2025-02-01T10:00:00.000Z')
    await typedOrs(t, green.id, 7.5, '2025-02-08T10:00:00.000Z')

    const list = await summaries(t)
    expect(list.map((s) => [s.client.code, s.status.colour])).toEqual([
      ['B-red', 'red'],
      ['C-green', 'green'],
      ['A-grey', 'grey'],
    ])
    expect(list[0]?.status.reasons.map((r) => r.key)).toContain(
      'status.reason.reliableDeterioration',
    )
    expect(list[0]?.nextAction).toBe('discussProgress')
    expect(list[0]?.lastMarkedAt).toBe('2025-02-08T10:00:00.000Z')
    expect(list.find((s) => s.client.id === grey.id)?.nextAction).toBe('startOutcome')
    expect(list.find((s) => s.client.id === grey.id)?.lastMarkedAt).toBeNull()
  })

  it('asks for the SRS after an ORS marked today, and to resume a draft first', async () => {
    t = freshDb()
    const client = await createClient(t.db, { code: 'D-1', birthYear: 1990 })
    await typedOrs(t, client.id, 6, `${TODAY}T08:00:00.000Z`)
    expect((await summaries(t))[0]?.nextAction).toBe('sessionRating')
    const draft = await startDraft(t.db, {
      clientId: client.id,
      instrumentId: 'SRS',
      rater: 'client',
      collectedBy: 'tablet',
      locale: 'nb',
    })
    await saveMark(t.db, draft.id, itemIds('SRS')[0] as string, 9)
    expect((await summaries(t))[0]?.nextAction).toBe('resumeDraft')
    for (const id of itemIds('SRS')) await saveMark(t.db, draft.id, id, 9.5)
    await finalize(t.db, draft.id, { markedAt: `${TODAY}T09:00:00.000Z` })
    expect((await summaries(t))[0]?.nextAction).toBe('nextSession')
  })

  it('lists a client whose episode ended last, marked closed, below new grey clients', async () => {
    t = freshDb()
    const ended = await createClient(t.db, { code: 'A-ended', birthYear: 1980 })
    await createClient(t.db, { code: 'Z-new', birthYear: 1980 })
    await typedOrs(t, ended.id, 4.5, '2025-02-01T10:00:00.000Z')
    const last = await typedOrs(t, ended.id, 7.5, '2025-02-08T10:00:00.000Z')
    await endEpisode(t.db, last.episodeId, { ending: 'planned', endStatus: 'green' })
    const list = await summaries(t)
    expect(list.map((s) => [s.client.code, s.status.colour, s.closed])).toEqual([
      ['Z-new', 'grey', false],
      ['A-ended', 'green', true],
    ])
    expect(list[1]?.nextAction).toBe('episodeEnded')
  })
})
