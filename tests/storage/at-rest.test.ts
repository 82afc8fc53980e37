import Dexie from 'dexie'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import {
  correct,
  countAllPending,
  countPending,
  createClient,
  endEpisode,
  finalize,
  forgetKey,
  getAdministration,
  getClient,
  getSealedMeta,
  type LinjaDb,
  listAllAdministrations,
  listClients,
  listForClient,
  openLinjaDb,
  pendingOutbox,
  SCHEMA_V2,
  saveMark,
  sealPlainRows,
  setSealedMeta,
  startDraft,
  voidAdministration,
} from '../../src/storage/index.ts'
import { expectStorageError, freshDb, itemIds, itemsOf } from './helpers.ts'
import { TEST_KEYS, testKeys } from './keys.ts'

const CODE = 'KARI-Ø7'

/** Every stored row as text, binary boxes shown as hex: what someone with the disk could read. */
async function rawText(db: Dexie): Promise<string> {
  const rows = await Promise.all(db.tables.map((t) => t.toArray()))
  return JSON.stringify(rows, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
  )
}

/** A session: a client, a form marked item by item, finished, corrected, voided; an episode ended. */
async function session(db: LinjaDb) {
  const client = await createClient(db, { code: CODE, birthYear: 1987 })
  const draft = await startDraft(db, {
    clientId: client.id,
    instrumentId: 'ORS',
    rater: 'client',
    collectedBy: 'tablet',
    locale: 'nb',
  })
  const values = [7.3, 2.9, 8.1, 5.6]
  for (const [i, id] of itemIds('ORS').entries()) await saveMark(db, draft.id, id, values[i] ?? 0)
  const final = await finalize(db, draft.id)
  const fixed = await correct(db, final.id, {
    items: itemsOf('ORS', [6.4, 2.9, 8.1, 5.6]),
    reason: 'Skrivefeil hos Kari',
  })
  await voidAdministration(db, fixed.id, 'Feil klient valt')
  await endEpisode(db, final.episodeId, { ending: 'planned', endStatus: null })
  return { client, final, fixed }
}

const CLEAR_FIELDS: Record<string, readonly string[]> = {
  clients: ['id', 'rev', 'kid', 'box', 'codeKey', 'updatedAt'],
  episodes: ['id', 'rev', 'kid', 'box', 'clientId', 'updatedAt'],
  administrations: [
    'id',
    'rev',
    'kid',
    'box',
    'clientId',
    'markedAt',
    'episodeId',
    'status',
    'groupSessionId',
    'versionOf',
    'updatedAt',
  ],
  outbox: [
    'seq',
    'opId',
    'deviceId',
    'kid',
    'box',
    'entity',
    'entityId',
    'op',
    'baseVersion',
    'createdAt',
  ],
}

describe('records at rest', () => {
  it('no client code, score, item value or reason lies in the clear after a session', async () => {
    const { db } = freshDb()
    await session(db)
    const raw = await rawText(db)
    // Not bare digits: they occur by chance in hex ciphertext and ids; field names and decimals do not.
    for (const secret of [
      CODE,
      CODE.toLowerCase(),
      '"birthYear"',
      '"items"',
      '7.3',
      '6.4',
      'Kari',
      'klient',
    ]) {
      expect(raw).not.toContain(secret)
    }
    // Index fields only: ids, times, status and a keyed hash.
    for (const [table, allowed] of Object.entries(CLEAR_FIELDS)) {
      for (const row of await db.table(table).toArray()) {
        expect(Object.keys(row).filter((k) => !allowed.includes(k))).toEqual([])
        expect(row.box).toBeDefined()
      }
    }
    // Still a working device: everything reads back.
    expect((await listClients(db)).map((c) => c.code)).toEqual([CODE])
    expect(await countPending(db)).toBeGreaterThan(0)
    expect((await pendingOutbox(db)).every((e) => e.payload.id === e.entityId)).toBe(true)
  })

  it('lists sealed clients in code order and refuses a duplicate code through the keyed index', async () => {
    const { db } = freshDb()
    await createClient(db, { code: 'Kari-1', ageGroup: 'adult' })
    await createClient(db, { code: 'Karl-2', ageGroup: 'adult' })
    expect((await listClients(db)).map((c) => c.code)).toEqual(['Kari-1', 'Karl-2'])
    await expectStorageError(
      createClient(db, { code: ' KARI-1 ', ageGroup: 'adult' }),
      'duplicate-code',
    )
    const hashes = (await db.clients.toArray()).map((r) => r.codeKey)
    expect(hashes.every((h) => /^h:[0-9a-f]{64}$/.test(h ?? ''))).toBe(true)
  })

  it('a locked database reads and writes nothing', async () => {
    const t = freshDb()
    const client = await createClient(t.db, { code: 'L1', ageGroup: 'adult' })
    t.db.close()
    const db = openLinjaDb('linja', { indexedDB: t.factory, IDBKeyRange, requireKeys: true })
    await expectStorageError(getClient(db, client.id), 'locked')
    await expectStorageError(listClients(db), 'locked')
    await expectStorageError(createClient(db, { code: 'L2', ageGroup: 'adult' }), 'locked')
    db.unlock(TEST_KEYS)
    expect((await getClient(db, client.id))?.code).toBe('L1')
    db.lock()
    await expectStorageError(pendingOutbox(db), 'locked')
  })

  it('the wrong key opens nothing: rows under another key are invisible, a tampered box fails', async () => {
    const t = freshDb()
    const { client, final } = await session(t.db)
    t.db.unlock(await testKeys())
    expect(await getClient(t.db, client.id)).toBeUndefined()
    expect(await listAllAdministrations(t.db, { includeVoided: true })).toEqual([])
    t.db.unlock(TEST_KEYS)
    const row = await t.db.administrations.get(final.id)
    if (!row?.box) throw new Error('expected a sealed row')
    row.box.ct[0] = (row.box.ct[0] ?? 0) ^ 1
    await t.db.administrations.put(row)
    await expect(getAdministration(t.db, final.id)).rejects.toThrow()
  })
})

describe('two practitioners on one tablet', () => {
  it('each sees only their own clients, forms, outbox and sealed settings', async () => {
    const t = freshDb()
    const anna = TEST_KEYS
    const bent = await testKeys('bent')
    const a = await session(t.db)
    await setSealedMeta(t.db, 'sync.conflicts', [{ opId: 'x', payload: { code: CODE } }])

    t.db.unlock(bent)
    expect(await listClients(t.db, { includeArchived: true })).toEqual([])
    expect(await listForClient(t.db, a.client.id, { includeVoided: true })).toEqual([])
    expect(await pendingOutbox(t.db)).toEqual([])
    expect(await getSealedMeta(t.db, 'sync.conflicts')).toBeUndefined()
    // The same code is free for Bent: each key has its own index namespace.
    const b = await createClient(t.db, { code: CODE, ageGroup: 'adult' })
    expect((await listClients(t.db)).map((c) => c.id)).toEqual([b.id])

    t.db.unlock(anna)
    expect((await listClients(t.db)).map((c) => c.id)).toEqual([a.client.id])
    expect((await pendingOutbox(t.db)).some((e) => e.entityId === b.id)).toBe(false)
  })
})

describe('migration from schema v2 (no encryption)', () => {
  it('plain v2 rows read after the upgrade, are sealed after the first unlock, and nothing is lost', async () => {
    const factory = new IDBFactory()
    // Data written by the release before encryption: plain rows, the code in the clear.
    const plain = freshDb('linja', { sealed: false })
    const v2 = new Dexie('linja', { indexedDB: factory, IDBKeyRange })
    v2.version(2).stores(SCHEMA_V2)
    await v2.open()
    const { client, final } = await session(plain.db)
    for (const table of ['clients', 'episodes', 'administrations', 'outbox', 'meta']) {
      const rows = (await plain.db.table(table).toArray()).map((r: Record<string, unknown>) => {
        const { rev: _r, codeKey: _c, ...rest } = r
        return table === 'clients' ? { ...rest, codeSearch: String(rest.code).toLowerCase() } : rest
      })
      await v2.table(table).bulkPut(rows)
    }
    await v2.table('meta').put({ key: 'devicePin', value: { salt: 'x', hash: 'y', iterations: 1 } })
    const before = {
      pending: await pendingOutbox(plain.db),
      forms: await listAllAdministrations(plain.db, {
        includeDrafts: true,
        includeVoided: true,
        includeSuperseded: true,
      }),
    }
    expect(await rawText(v2)).toContain(CODE)
    v2.close()

    const db = openLinjaDb('linja', { indexedDB: factory, IDBKeyRange, requireKeys: true })
    await db.open()
    expect(db.verno).toBe(3)
    db.unlock(TEST_KEYS)
    // Readable before sealing (the upgrade itself cannot encrypt).
    expect((await getClient(db, client.id))?.code).toBe(CODE)
    const sealed = await sealPlainRows(db, 3)
    // 1 client, 1 episode, 2 form versions, 6 outbox entries; the old PIN hash is dropped.
    expect(sealed).toBe(11)
    expect(await db.meta.get('devicePin')).toBeUndefined()
    expect(await rawText(db)).not.toContain(CODE)
    expect(await rawText(db)).not.toContain('7.3')

    expect(await pendingOutbox(db)).toEqual(before.pending)
    expect(
      await listAllAdministrations(db, {
        includeDrafts: true,
        includeVoided: true,
        includeSuperseded: true,
      }),
    ).toEqual(before.forms)
    expect((await getAdministration(db, final.id))?.items).toEqual(final.items)
    await expectStorageError(
      createClient(db, { code: CODE.toLowerCase(), ageGroup: 'adult' }),
      'duplicate-code',
    )
    expect(await sealPlainRows(db)).toBe(0)
  })
})

describe('waiting changes on a shared tablet', () => {
  it('each practitioner counts their own waiting changes; the device count holds everyone’s', async () => {
    const t = freshDb()
    await createClient(t.db, { code: 'A-1', ageGroup: 'adult' })
    const mine = await countPending(t.db)
    expect(mine).toBeGreaterThan(0)
    const bent = await testKeys('bent-3')
    t.db.unlock(bent)
    await createClient(t.db, { code: 'B-1', ageGroup: 'adult' })
    await createClient(t.db, { code: 'B-2', ageGroup: 'adult' })
    expect(await countPending(t.db)).toBe(2 * mine)
    expect(await countAllPending(t.db)).toBe(3 * mine)
    t.db.unlock(TEST_KEYS)
    expect(await countPending(t.db)).toBe(mine)
    t.db.lock()
    expect(await countPending(t.db)).toBe(3 * mine)
  })
})

describe('forget this device (one practitioner)', () => {
  it("deletes the practitioner's rows, unsent ones included, and leaves the other's", async () => {
    const t = freshDb()
    await session(t.db)
    const bent = await testKeys('bent-2')
    t.db.unlock(bent)
    const theirs = await createClient(t.db, { code: 'B-1', ageGroup: 'adult' })
    t.db.unlock(TEST_KEYS)
    expect(await forgetKey(t.db, TEST_KEYS.kid)).toBeGreaterThan(5)
    expect(await listClients(t.db, { includeArchived: true })).toEqual([])
    expect(await t.db.outbox.count()).toBe(1)
    t.db.unlock(bent)
    expect((await listClients(t.db)).map((c) => c.id)).toEqual([theirs.id])
  })
})
