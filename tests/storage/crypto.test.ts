import { describe, expect, it } from 'vitest'
import {
  KDF_ITERATIONS,
  keyedHash,
  keysFromSecret,
  newSecret,
  seal,
  unseal,
  unwrapKeys,
  unwrapSecret,
  WrongSecretError,
  wrapSecret,
} from '../../src/storage/crypto.ts'

// The real count costs about a second per derivation; these tests check the logic, not the cost.
const fast = { iterations: 1000 }

describe('crypto: keys wrapped by a PIN', () => {
  it('uses at least 600 000 PBKDF2 iterations by default (OWASP 2023, SHA-256)', async () => {
    expect(KDF_ITERATIONS).toBeGreaterThanOrEqual(600_000)
    const wrapped = await wrapSecret(newSecret(), '1234', { iterations: 1000 })
    expect(wrapped.iterations).toBe(1000)
  })

  it('the right PIN opens the key; what it sealed opens again', async () => {
    const wrapped = await wrapSecret(newSecret(), '2468', fast)
    const keys = await unwrapKeys(wrapped, '2468')
    const box = await seal(keys, { code: 'KARI-7', items: { a: 3.4 } }, 'clients:c1')
    const again = await unwrapKeys(wrapped, '2468')
    expect(await unseal(again, box, 'clients:c1')).toEqual({ code: 'KARI-7', items: { a: 3.4 } })
  })

  it('a wrong PIN is refused and opens nothing', async () => {
    const wrapped = await wrapSecret(newSecret(), '2468', fast)
    await expect(unwrapKeys(wrapped, '2469')).rejects.toBeInstanceOf(WrongSecretError)
    await expect(unwrapSecret(wrapped, '0000')).rejects.toBeInstanceOf(WrongSecretError)
  })

  it('keys are not extractable: the secret cannot be read out of memory through Web Crypto', async () => {
    const keys = await unwrapKeys(await wrapSecret(newSecret(), '1357', fast), '1357')
    expect(keys.enc.extractable).toBe(false)
    expect(keys.mac.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('raw', keys.enc)).rejects.toThrow()
  })

  it('the ciphertext holds no plain text and each seal has its own nonce', async () => {
    const keys = await keysFromSecret('k1', newSecret())
    const a = await seal(keys, { code: 'OLA-NORDMANN' }, 'clients:c1')
    const b = await seal(keys, { code: 'OLA-NORDMANN' }, 'clients:c1')
    expect(new TextDecoder().decode(a.ct)).not.toContain('OLA')
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false)
    expect(Buffer.from(a.ct).equals(Buffer.from(b.ct))).toBe(false)
  })

  it('a sealed value moved to another row or table does not open', async () => {
    const keys = await keysFromSecret('k1', newSecret())
    const box = await seal(keys, { total: 31 }, 'administrations:a1')
    await expect(unseal(keys, box, 'administrations:a2')).rejects.toThrow()
    await expect(unseal(keys, box, 'clients:a1')).rejects.toThrow()
  })

  it("another practitioner's key opens nothing of mine", async () => {
    const mine = await keysFromSecret('k1', newSecret())
    const theirs = await keysFromSecret('k2', newSecret())
    const box = await seal(mine, { code: 'X' }, 'clients:c1')
    await expect(unseal(theirs, box, 'clients:c1')).rejects.toThrow()
  })

  it('the keyed hash matches equal codes, differs between keys and hides the code', async () => {
    const secret = newSecret()
    const k = await keysFromSecret('k1', secret)
    const same = await keysFromSecret('k1', secret)
    const other = await keysFromSecret('k2', newSecret())
    const h = await keyedHash(k, 'kari-7')
    expect(await keyedHash(same, 'kari-7')).toBe(h)
    expect(await keyedHash(k, 'kari-8')).not.toBe(h)
    expect(await keyedHash(other, 'kari-7')).not.toBe(h)
    expect(h).toMatch(/^[0-9a-f]{64}$/)
  })

  it('a new PIN re-wraps the same secret: records sealed before still open', async () => {
    const wrapped = await wrapSecret(newSecret(), '1111', fast)
    const before = await unwrapKeys(wrapped, '1111')
    const box = await seal(before, { n: 1 }, 'meta:x')
    const secret = await unwrapSecret(wrapped, '1111')
    const rewrapped = await wrapSecret(secret, '2222', { ...fast, kid: wrapped.kid })
    secret.fill(0)
    await expect(unwrapKeys(rewrapped, '1111')).rejects.toBeInstanceOf(WrongSecretError)
    expect(await unseal(await unwrapKeys(rewrapped, '2222'), box, 'meta:x')).toEqual({ n: 1 })
  })

  it('a recovery key (random bytes) opens the same secret as the PIN', async () => {
    const secret = newSecret()
    const recovery = crypto.getRandomValues(new Uint8Array(32))
    const byPin = await wrapSecret(secret, '4321', { ...fast, kid: 'k9' })
    const byRecovery = await wrapSecret(secret, recovery, { iterations: 1, kid: 'k9' })
    const box = await seal(await unwrapKeys(byPin, '4321'), 'draft', 'administrations:a1')
    expect(await unseal(await unwrapKeys(byRecovery, recovery), box, 'administrations:a1')).toBe(
      'draft',
    )
  })
})
