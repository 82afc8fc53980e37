import { beforeEach, describe, expect, it } from 'vitest'
import {
  createClient,
  getClient,
  listClients,
  pendingOutbox,
  updateClient,
} from '../../src/storage/index.ts'
import { expectStorageError, freshDb, type TestDb } from './helpers.ts'

let t: TestDb
beforeEach(() => {
  t = freshDb()
})

describe('createClient', () => {
  it('stores a trimmed code, derives the age group from the birth year and queues a create', async () => {
    // The test clock is in 2025: born 2012 → 13 → adolescent.
    const client = await createClient(t.db, {
      code: '  Ola-7 ',
      birthYear: 2012,
      unitId: 'u1',
      practitionerIds: ['p1'],
    })
    expect(client).toMatchObject({
      code: 'Ola-7',
      codeSearch: 'ola-7',
      birthYear: 2012,
      ageGroup: 'adolescent',
      unitId: 'u1',
      practitionerIds: ['p1'],
      archivedAt: null,
    })
    expect(client.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/)
    expect(await getClient(t.db, client.id)).toEqual(client)
    const outbox = await pendingOutbox(t.db)
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({
      entity: 'client',
      entityId: client.id,
      op: 'create',
      payload: client,
    })
  })

  it('keeps an explicit age group over the derived one, and needs one of the two', async () => {
    const c = await createClient(t.db, { code: 'A1', birthYear: 2020, ageGroup: 'child' })
    expect(c.ageGroup).toBe('child')
    const y = await createClient(t.db, { code: 'A2', birthYear: 2021 })
    expect(y.ageGroup).toBe('young')
    await expectStorageError(createClient(t.db, { code: 'A3' }), 'missing-age-group')
    const adult = await createClient(t.db, { code: 'A4', ageGroup: 'adult' })
    expect(adult.birthYear).toBeNull()
  })

  it('refuses empty, too long and future-born clients, writing nothing', async () => {
    await expectStorageError(createClient(t.db, { code: '   ', ageGroup: 'adult' }), 'invalid-code')
    await expectStorageError(
      createClient(t.db, { code: 'x'.repeat(33), ageGroup: 'adult' }),
      'invalid-code',
    )
    await expectStorageError(
      createClient(t.db, { code: 'F', birthYear: 2030 }),
      'invalid-birth-year',
    )
    await createClient(t.db, { code: 'x'.repeat(32), ageGroup: 'adult' })
    expect(await listClients(t.db)).toHaveLength(1)
    expect(await pendingOutbox(t.db)).toHaveLength(1)
  })

  it('refuses a code already used, ignoring case and spaces', async () => {
    await createClient(t.db, { code: 'Kari', ageGroup: 'adult' })
    const error = await expectStorageError(
      createClient(t.db, { code: ' kARI ', ageGroup: 'adult' }),
      'duplicate-code',
    )
    expect(error.message).toContain('Kari')
    expect(await listClients(t.db)).toHaveLength(1)
  })

  it('frees the code of an archived client, and refuses restoring it while the code is taken', async () => {
    const old = await createClient(t.db, { code: 'K1', ageGroup: 'adult' })
    await updateClient(t.db, old.id, { archived: true })
    const reused = await createClient(t.db, { code: 'k1', ageGroup: 'adult' })
    expect(reused.code).toBe('k1')
    await expectStorageError(updateClient(t.db, old.id, { archived: false }), 'duplicate-code')
    expect((await getClient(t.db, old.id))?.archivedAt).not.toBeNull()
  })
})

describe('updateClient', () => {
  it('changes fields, re-derives the age group from a new birth year and queues an update', async () => {
    const c = await createClient(t.db, { code: 'B1', birthYear: 2000 })
    const updated = await updateClient(t.db, c.id, {
      birthYear: 2016,
      practitionerIds: ['p2'],
      code: 'B-one',
    })
    expect(updated).toMatchObject({
      ageGroup: 'child',
      practitionerIds: ['p2'],
      code: 'B-one',
      codeSearch: 'b-one',
    })
    expect(updated.updatedAt > c.updatedAt).toBe(true)
    expect(await getClient(t.db, c.id)).toEqual(updated)
    const ops = (await pendingOutbox(t.db)).map((e) => e.op)
    expect(ops).toEqual(['create', 'update'])
  })

  it('lets a client keep its own code in another case, but not take another client’s', async () => {
    const a = await createClient(t.db, { code: 'Anna', ageGroup: 'adult' })
    await createClient(t.db, { code: 'Berit', ageGroup: 'adult' })
    expect((await updateClient(t.db, a.id, { code: 'ANNA' })).code).toBe('ANNA')
    await expectStorageError(updateClient(t.db, a.id, { code: 'berit' }), 'duplicate-code')
    expect((await getClient(t.db, a.id))?.code).toBe('ANNA')
  })

  it('reports a missing client', async () => {
    await expectStorageError(updateClient(t.db, 'nope', { unitId: 'x' }), 'not-found')
  })
})

describe('listing', () => {
  it('lists active clients in case-insensitive code order, archived ones when asked', async () => {
    for (const code of ['ola', 'Kari', 'OLE', 'Per'])
      await createClient(t.db, { code, ageGroup: 'adult' })
    const archived = await createClient(t.db, { code: 'Olav', ageGroup: 'adult' })
    await updateClient(t.db, archived.id, { archived: true })
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['Kari', 'ola', 'OLE', 'Per'])
    expect((await listClients(t.db, { includeArchived: true })).map((c) => c.code)).toContain(
      'Olav',
    )
  })
})
