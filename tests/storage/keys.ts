// Test keys: a practitioner's unlocked data keys, made from a random secret without a PIN (the PIN path is tested in crypto.test.ts).
import { type DataKeys, keysFromSecret, newSecret } from '../../src/storage/crypto.ts'

let made = 0
export async function testKeys(kid = `test-${++made}`): Promise<DataKeys> {
  return keysFromSecret(kid, newSecret())
}

/** One practitioner's keys for a whole test file. */
export const TEST_KEYS: DataKeys = await testKeys('test-keys')
