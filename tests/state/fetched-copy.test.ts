import 'fake-indexeddb/auto'
import { beforeEach, describe, expect, it } from 'vitest'
import { database } from '../../src/state/database.ts'
import { fetchKeepingCopy } from '../../src/state/fetched-copy.ts'
import { useSyncStore } from '../../src/state/sync-store.ts'
import { getMeta } from '../../src/storage/index.ts'
import { networkError, SyncHttpError } from '../../src/sync/errors.ts'

const isNumbers = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number')
const signIn = (id: string) =>
  useSyncStore.setState({
    person: { id, username: id, displayName: id, roles: ['admin'] },
  })
const offline = () => Promise.reject(networkError(new Error('offline')))

describe('last fetched copy of a server screen', () => {
  beforeEach(async () => {
    await database().meta.clear()
    signIn('admin-1')
  })

  it('online: returns the answer and keeps it; offline: returns that copy with its time', async () => {
    const online = await fetchKeepingCopy('reports', async () => [1, 2, 3], isNumbers)
    expect(online).toMatchObject({ value: [1, 2, 3], fromCopy: false })
    const copy = await fetchKeepingCopy('reports', offline, isNumbers)
    expect(copy).toEqual({ value: [1, 2, 3], fetchedAt: online.fetchedAt, fromCopy: true })
  })

  it('offline with no copy: the network error comes through, so the screen says a connection is needed', async () => {
    await expect(fetchKeepingCopy('admin', offline, isNumbers)).rejects.toMatchObject({
      code: 'network',
    })
  })

  it('another person on the same tablet never gets the first person’s copy', async () => {
    await fetchKeepingCopy('admin', async () => [7], isNumbers)
    signIn('admin-2')
    await expect(fetchKeepingCopy('admin', offline, isNumbers)).rejects.toMatchObject({
      code: 'network',
    })
  })

  it('a copy of another shape (an older version) is not shown', async () => {
    await fetchKeepingCopy('supervision', async () => [1], isNumbers)
    const isStrings = (v: unknown): v is string[] =>
      Array.isArray(v) && v.every((x) => typeof x === 'string')
    await expect(fetchKeepingCopy('supervision', offline, isStrings)).rejects.toMatchObject({
      code: 'network',
    })
  })

  it('access taken away (403) deletes the copy', async () => {
    await fetchKeepingCopy('reports', async () => [5], isNumbers)
    const forbidden = () => Promise.reject(new SyncHttpError(403, 'forbidden'))
    await expect(fetchKeepingCopy('reports', forbidden, isNumbers)).rejects.toMatchObject({
      status: 403,
    })
    expect(await getMeta(database(), 'copy:reports:admin-1')).toBeUndefined()
    await expect(fetchKeepingCopy('reports', offline, isNumbers)).rejects.toMatchObject({
      code: 'network',
    })
  })
})
