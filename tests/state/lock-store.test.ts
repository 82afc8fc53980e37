import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { useClientModeStore } from '../../src/state/client-mode-store.ts'
import { useClientsStore } from '../../src/state/clients-store.ts'
import { database } from '../../src/state/database.ts'
import { setPin } from '../../src/state/device-pin.ts'
import { lockNow, refreshLock, unlock, useLockStore } from '../../src/state/lock-store.ts'
import { StorageError } from '../../src/storage/index.ts'

// One device database for the whole file (the app's own handle), as on a real tablet.
describe('the app on a new tablet, and what a lock leaves in memory', () => {
  it('before a PIN or a sign-in nothing is stored, in the clear or otherwise', async () => {
    expect(await refreshLock()).toBe('no-key')
    const attempt = useClientsStore.getState().create({ code: 'EARLY-1', birthYear: 1980 })
    await expect(attempt).rejects.toBeInstanceOf(StorageError)
    await expect(attempt).rejects.toMatchObject({ code: 'locked' })
    expect(await database().clients.count()).toBe(0)
    expect(await database().outbox.count()).toBe(0)
  })

  it('a PIN makes the key; a lock empties the decrypted list and form, and the PIN brings them back', async () => {
    expect(await setPin('2468')).toBe(true)
    expect(useLockStore.getState().status).toBe('open')
    const client = await useClientsStore.getState().create({ code: 'KARI-1', birthYear: 1980 })
    expect(JSON.stringify(await database().clients.toArray())).not.toContain('KARI-1')
    await useClientsStore.getState().refresh()
    expect(useClientsStore.getState().clients.map((c) => c.code)).toEqual(['KARI-1'])
    await useClientModeStore.getState().begin({
      clientId: client.id,
      instrumentId: 'ORS',
      rater: 'client',
      clientLocale: 'nb',
    })
    await useClientModeStore.getState().mark('ors.overall', 6.1)
    expect(useClientModeStore.getState().draft?.items['ors.overall']).toBe(6.1)

    lockNow()
    await expect.poll(() => useLockStore.getState().status).toBe('locked')
    expect(useClientsStore.getState().clients).toEqual([])
    expect(useClientsStore.getState().summaries).toEqual([])
    expect(useClientModeStore.getState().draft).toBeNull()

    expect(await unlock('2468')).toBe(true)
    await expect.poll(() => useClientModeStore.getState().draft?.items['ors.overall']).toBe(6.1)
    await useClientsStore.getState().refresh()
    expect(useClientsStore.getState().clients.map((c) => c.code)).toEqual(['KARI-1'])
  })
})
