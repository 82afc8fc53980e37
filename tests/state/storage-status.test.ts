import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  askPersistence,
  checkPersistence,
  estimateStorage,
  useStorageStatus,
} from '../../src/state/storage-status.ts'

beforeEach(() => useStorageStatus.setState({ persisted: null, refused: false }))

describe('persistent storage', () => {
  it('asks the browser to keep the data: granted, already granted, refused, missing or failing', async () => {
    expect(await askPersistence({ persist: async () => true, persisted: async () => false })).toBe(
      true,
    )
    expect(await askPersistence({ persist: async () => false, persisted: async () => true })).toBe(
      true,
    )
    expect(await askPersistence({ persist: async () => false })).toBe(false)
    expect(await askPersistence(undefined)).toBe(false)
    expect(await askPersistence({ persist: () => Promise.reject(new Error('no')) })).toBe(false)
  })

  it('a refusal is kept for the header and Innstillinger; a grant clears it', async () => {
    await askPersistence({ persist: async () => false })
    expect(useStorageStatus.getState()).toEqual({ persisted: false, refused: true })
    await askPersistence({ persist: async () => true })
    expect(useStorageStatus.getState()).toEqual({ persisted: true, refused: false })
  })

  it('at start reads what the browser already decided without asking it', async () => {
    const persist = vi.fn(async () => true)
    await checkPersistence({ persist, persisted: async () => true })
    expect(useStorageStatus.getState()).toEqual({ persisted: true, refused: false })
    await checkPersistence({ persist, persisted: () => Promise.reject(new Error('no')) })
    expect(useStorageStatus.getState().persisted).toBeNull()
    await checkPersistence(undefined)
    expect(useStorageStatus.getState().persisted).toBeNull()
    expect(persist).not.toHaveBeenCalled()
  })

  it('reports usage and quota, or null when unknown', async () => {
    expect(await estimateStorage({ estimate: async () => ({ usage: 10, quota: 100 }) })).toEqual({
      usage: 10,
      quota: 100,
    })
    expect(await estimateStorage({ estimate: async () => ({}) })).toBeNull()
    expect(await estimateStorage({})).toBeNull()
    expect(await estimateStorage(undefined)).toBeNull()
    expect(await estimateStorage({ estimate: () => Promise.reject(new Error('no')) })).toBeNull()
  })
})
