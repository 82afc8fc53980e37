import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import {
  countPending,
  createClient,
  getAdministration,
  getClient,
  getMeta,
  listClients,
  listForClient,
  openLinjaDb,
  pendingOutbox,
  SCHEMA_V1,
} from '../../src/storage/index.ts'
import { expectStorageError } from './helpers.ts'

const ORS_ITEMS = {
  'ors.individually': 5,
  'ors.interpersonally': 6,
  'ors.socially': 7,
  'ors.overall': 8,
}

/** What the first release wrote: no codeSearch/archivedAt, no collectedBy or group fields. */
async function writeV1(factory: IDBFactory): Promise<void> {
  const v1 = new Dexie('linja', { indexedDB: factory, IDBKeyRange })
  v1.version(1).stores(SCHEMA_V1)
  await v1.table('clients').bulkAdd([
    {
      id: 'c1',
      code: ' Kari ',
      birthYear: 1990,
      ageGroup: 'adult',
      unitId: null,
      practitionerIds: ['p1'],
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
    },
    {
      id: 'c2',
      code: 'KAJA',
      birthYear: null,
      ageGroup: 'adult',
      unitId: 'u1',
      practitionerIds: [],
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
    },
  ])
  await v1.table('episodes').add({
    id: 'e1',
    clientId: 'c1',
    startedAt: '2024-01-02T00:00:00.000Z',
    endedAt: null,
    ending: null,
    endStatus: null,
    updatedAt: '2024-01-02T00:00:00.000Z',
  })
  await v1.table('administrations').bulkAdd([
    {
      id: 'a1',
      clientId: 'c1',
      episodeId: 'e1',
      instrumentId: 'ORS',
      instrumentVersion: '1',
      items: ORS_ITEMS,
      total: 26,
      rater: 'client',
      session: 1,
      markedAt: '2024-01-02T10:00:00.000Z',
      startedAt: '2024-01-02T09:58:00.000Z',
      status: 'final',
      locale: 'nb',
      versionOf: null,
      supersedes: null,
      supersededBy: null,
      correctionReason: null,
      voided: null,
      createdAt: '2024-01-02T10:00:00.000Z',
      updatedAt: '2024-01-02T10:00:00.000Z',
    },
    {
      id: 'a2',
      clientId: 'c1',
      episodeId: 'e1',
      instrumentId: 'SRS',
      instrumentVersion: '1',
      items: {
        'srs.relationship': 9,
        'srs.goals': null,
        'srs.approach': null,
        'srs.overall': null,
      },
      total: null,
      rater: 'client',
      session: 1,
      markedAt: '2024-01-02T11:00:00.000Z',
      startedAt: '2024-01-02T11:00:00.000Z',
      status: 'draft',
      locale: 'nn',
      versionOf: null,
      supersedes: null,
      supersededBy: null,
      correctionReason: null,
      voided: null,
      createdAt: '2024-01-02T11:00:00.000Z',
      updatedAt: '2024-01-02T11:00:00.000Z',
    },
  ])
  await v1.table('outbox').add({
    opId: 'op1',
    deviceId: 'dev-1',
    entity: 'administration',
    entityId: 'a1',
    op: 'create',
    payload: { id: 'a1' },
    createdAt: '2024-01-02T10:00:00.000Z',
  })
  await v1.table('meta').add({ key: 'deviceId', value: 'dev-1' })
  v1.close()
}

describe('schema upgrade v1 → v2 → v3 (plain rows, sealed only after an unlock)', () => {
  it('keeps every v1 record and back-fills the new fields', async () => {
    const factory = new IDBFactory()
    await writeV1(factory)
    const db = openLinjaDb('linja', { indexedDB: factory, IDBKeyRange })
    await db.open()
    expect(db.verno).toBe(3)

    expect(await getClient(db, 'c1')).toMatchObject({
      code: 'Kari',
      codeSearch: 'kari',
      archivedAt: null,
      practitionerIds: ['p1'],
    })
    expect((await listClients(db)).map((c) => c.id)).toEqual(['c2', 'c1'])

    const a1 = await getAdministration(db, 'a1')
    expect(a1).toMatchObject({
      collectedBy: 'tablet',
      groupSessionId: null,
      memberLabel: null,
      items: ORS_ITEMS,
      total: 26,
    })
    const a2 = await getAdministration(db, 'a2')
    expect(a2).toMatchObject({ status: 'draft', collectedBy: 'tablet', locale: 'nn' })
    expect(a2?.items['srs.goals']).toBeNull()
    expect((await listForClient(db, 'c1', { includeDrafts: true })).map((a) => a.id)).toEqual([
      'a1',
      'a2',
    ])

    // The unsent entry survives, the device keeps its id, and the upgrade queued nothing.
    expect(await countPending(db)).toBe(1)
    expect(await getMeta(db, 'deviceId')).toBe('dev-1')

    // Codes stay unique against upgraded clients, and new entries follow the old sequence.
    await expectStorageError(
      createClient(db, { code: 'kaja', ageGroup: 'adult' }),
      'duplicate-code',
    )
    await createClient(db, { code: 'Nils', ageGroup: 'adult' })
    const entries = await pendingOutbox(db)
    expect(entries.map((e) => e.deviceId)).toEqual(['dev-1', 'dev-1'])
    expect((entries[1]?.seq ?? 0) > (entries[0]?.seq ?? 0)).toBe(true)
    db.close()
  })
})
