import { describe, expect, it } from 'vitest'
import {
  afterOnlineLogin,
  changePin,
  createKeys,
  forgetKeys,
  keyringEntry,
  LOCAL_OWNER,
  lockKeys,
  MAX_PIN_FAILURES,
  needsPinAfterLogin,
  setPinAfterLogin,
  unlockWithPin,
} from '../../src/state/keyring.ts'
import { countPending, createClient, listClients, pendingOutbox } from '../../src/storage/index.ts'
import { expectStorageError, freshDb } from '../storage/helpers.ts'

const fast = { iterations: 1000 }

function plainDevice() {
  return freshDb('linja', { sealed: false })
}

describe('keyring: PIN unlock, lock-out and recovery', () => {
  it('the first key seals what the device held; the PIN opens it again after a lock', async () => {
    const t = plainDevice()
    await createClient(t.db, { code: 'OLD-1', ageGroup: 'adult' })
    await createKeys(t.db, 'anna', '2468', 'anna-password-1', fast)
    expect(JSON.stringify(await t.db.clients.toArray())).not.toContain('OLD-1')
    t.db.lock()
    await expectStorageError(listClients(t.db), 'locked')
    expect(await unlockWithPin(t.db, 'anna', '2468')).toMatchObject({ ok: true })
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['OLD-1'])
  })

  it('a wrong PIN opens nothing and says how many tries are left; a right one resets the count', async () => {
    const t = plainDevice()
    await createKeys(t.db, 'anna', '2468', null, fast)
    t.db.lock()
    expect(await unlockWithPin(t.db, 'anna', '1111')).toEqual({
      ok: false,
      reason: 'wrong',
      left: MAX_PIN_FAILURES - 1,
    })
    expect(t.db.keys).toBeNull()
    await unlockWithPin(t.db, 'anna', '2468')
    expect((await keyringEntry(t.db, 'anna'))?.failures).toBe(0)
  })

  it(`after ${MAX_PIN_FAILURES} wrong PINs the PIN wrap is gone; the password after an online login recovers everything unsent`, async () => {
    const t = plainDevice()
    await createKeys(t.db, 'anna', '2468', 'anna-password-1', fast)
    await createClient(t.db, { code: 'UNSENT-1', ageGroup: 'adult' })
    const before = await pendingOutbox(t.db)
    t.db.lock()
    for (let i = 1; i < MAX_PIN_FAILURES; i++) {
      expect(await unlockWithPin(t.db, 'anna', '0000')).toMatchObject({ reason: 'wrong' })
    }
    expect(await unlockWithPin(t.db, 'anna', '0000')).toEqual({ ok: false, reason: 'locked-out' })
    // Even the right PIN no longer works: the wrap it opened is deleted.
    expect(await unlockWithPin(t.db, 'anna', '2468')).toEqual({ ok: false, reason: 'locked-out' })
    expect((await keyringEntry(t.db, 'anna'))?.pin).toBeNull()
    expect(await countPending(t.db)).toBe(1)

    // The sign-in the lock screen offers: a password the recovery wrap does not know opens nothing.
    expect(await afterOnlineLogin(t.db, 'anna', 'wrong-password', fast)).toBe('sealed-elsewhere')
    expect(t.db.keys).toBeNull()
    expect(await afterOnlineLogin(t.db, 'anna', 'anna-password-1', fast)).toBe('needs-pin')
    expect(await setPinAfterLogin(t.db, 'anna', '1357', fast)).toBe(true)
    expect(await pendingOutbox(t.db)).toEqual(before)
    t.db.lock()
    expect(await unlockWithPin(t.db, 'anna', '1357')).toMatchObject({ ok: true })
  })

  it('two practitioners each have their own key and see only their own clients', async () => {
    const t = plainDevice()
    await createKeys(t.db, 'anna', '1111', null, fast)
    await createClient(t.db, { code: 'ANNA-1', ageGroup: 'adult' })
    await createKeys(t.db, 'bent', '2222', null, fast)
    await createClient(t.db, { code: 'BENT-1', ageGroup: 'adult' })
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['BENT-1'])
    // Anna's PIN does not open Bent's key.
    t.db.lock()
    expect(await unlockWithPin(t.db, 'bent', '1111')).toMatchObject({ reason: 'wrong' })
    expect(await unlockWithPin(t.db, 'anna', '1111')).toMatchObject({ ok: true })
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['ANNA-1'])
  })

  it('a new PIN needs the current one; forgetting the key makes its data unreadable', async () => {
    const t = plainDevice()
    await createKeys(t.db, 'anna', '1111', null, fast)
    await createClient(t.db, { code: 'A-1', ageGroup: 'adult' })
    expect(await changePin(t.db, 'anna', '9999', '3333', fast)).toMatchObject({ reason: 'wrong' })
    expect(await changePin(t.db, 'anna', '1111', '3333', fast)).toMatchObject({ ok: true })
    t.db.lock()
    expect(await unlockWithPin(t.db, 'anna', '1111')).toMatchObject({ reason: 'wrong' })
    expect(await unlockWithPin(t.db, 'anna', '3333')).toMatchObject({ ok: true })
    await forgetKeys(t.db, 'anna')
    expect(await unlockWithPin(t.db, 'anna', '3333')).toEqual({ ok: false, reason: 'no-key' })
  })
})

describe('keyring: the first online login', () => {
  it('makes the key at login (wrapped by the password), asks for a PIN, and the PIN unlocks afterwards', async () => {
    const t = plainDevice()
    await createClient(t.db, { code: 'BEFORE-LOGIN', ageGroup: 'adult' })
    expect(await afterOnlineLogin(t.db, 'anna', 'anna-password-1', fast)).toBe('needs-pin')
    expect(needsPinAfterLogin('anna')).toBe(true)
    expect(JSON.stringify(await t.db.clients.toArray())).not.toContain('BEFORE-LOGIN')
    expect(await setPinAfterLogin(t.db, 'anna', '2468', fast)).toBe(true)
    expect(needsPinAfterLogin('anna')).toBe(false)
    lockKeys(t.db)
    expect(await unlockWithPin(t.db, 'anna', '2468')).toMatchObject({ ok: true })
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['BEFORE-LOGIN'])
    // A later login with the same password opens the key without the PIN.
    lockKeys(t.db)
    expect(await afterOnlineLogin(t.db, 'anna', 'anna-password-1', fast)).toBe('unlocked')
    expect(await afterOnlineLogin(t.db, 'anna', 'changed-elsewhere', fast)).toBe('sealed-elsewhere')
  })
})

describe('keyring: a device used before its first login', () => {
  it('hands the PIN-made key and its data to the person who signs in with that PIN, with a recovery wrap by their password', async () => {
    const t = plainDevice()
    await createKeys(t.db, LOCAL_OWNER, '2468', null, fast)
    await createClient(t.db, { code: 'OFFLINE-1', ageGroup: 'adult' })
    lockKeys(t.db)
    // A wrong local PIN hands nothing over.
    expect(
      await afterOnlineLogin(t.db, 'anna', 'anna-password-1', { ...fast, localPin: '1111' }),
    ).toBe('sealed-elsewhere')
    expect(await keyringEntry(t.db, 'anna')).toBeUndefined()
    expect(
      await afterOnlineLogin(t.db, 'anna', 'anna-password-1', { ...fast, localPin: '2468' }),
    ).toBe('unlocked')
    expect(await keyringEntry(t.db, LOCAL_OWNER)).toBeUndefined()
    expect((await keyringEntry(t.db, 'anna'))?.recovery).not.toBeNull()
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['OFFLINE-1'])
    // Locked out by wrong PINs: the password opens the data the tablet held before any login.
    lockKeys(t.db)
    for (let i = 0; i < MAX_PIN_FAILURES; i++) await unlockWithPin(t.db, 'anna', '0000')
    expect(await unlockWithPin(t.db, 'anna', '2468')).toEqual({ ok: false, reason: 'locked-out' })
    expect(await afterOnlineLogin(t.db, 'anna', 'anna-password-1', fast)).toBe('needs-pin')
    expect(await setPinAfterLogin(t.db, 'anna', '1357', fast)).toBe(true)
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['OFFLINE-1'])
  })

  it('without the local PIN the person gets a key of their own, and the local data stays apart', async () => {
    const t = plainDevice()
    await createKeys(t.db, LOCAL_OWNER, '2468', null, fast)
    await createClient(t.db, { code: 'NOT-ANNAS', ageGroup: 'adult' })
    lockKeys(t.db)
    expect(await afterOnlineLogin(t.db, 'anna', 'anna-password-1', fast)).toBe('needs-pin')
    expect(await setPinAfterLogin(t.db, 'anna', '1357', fast)).toBe(true)
    expect(await listClients(t.db)).toEqual([])
    expect(await keyringEntry(t.db, LOCAL_OWNER)).toBeDefined()
    lockKeys(t.db)
    expect(await unlockWithPin(t.db, LOCAL_OWNER, '2468')).toMatchObject({ ok: true })
    expect((await listClients(t.db)).map((c) => c.code)).toEqual(['NOT-ANNAS'])
  })
})
