// S21: a device id belongs to the tablet that first pushed with it. The tablet proves it with its
// device key (a random secret it made with its id); the server keeps only the key's hash.
import { hash, timingSafeEqual } from 'node:crypto'
import { Refusal } from '../refusal.ts'
import type { RecordCache } from './record-cache.ts'

export interface DeviceClaim {
  deviceId: string
  deviceKey: string | undefined
  personId: string
  sessionId: string
  at: string
}

/** The key's hash as stored (base64url). */
function hashKey(key: string): string {
  // The key is 256 random bits: a plain hash is enough, nothing to stretch. One call, not a Hash
  // object: it runs on every push.
  return hash('sha256', key, 'base64url')
}

function notYours(): Refusal {
  return new Refusal(
    403,
    'device_not_yours',
    'This device id belongs to another tablet; nothing was changed.',
  )
}

/**
 * Refuses (403 device_not_yours) a push naming a device id whose key it does not carry; binds a
 * new device id to the key it came with. Runs inside the push's group commit, after the counter
 * lock and before any sequence check, so a refused push changes nothing and learns nothing about
 * the device's numbers, and two first pushes with one new device id cannot both bind it.
 */
export async function checkDeviceClaim(cache: RecordCache, claim: DeviceClaim): Promise<void> {
  const bound = await cache.keyHash(claim.deviceId)
  if (bound !== null) {
    // The stored and the given hash compared as text in constant time.
    const expected = Buffer.from(bound)
    const given = claim.deviceKey === undefined ? undefined : Buffer.from(hashKey(claim.deviceKey))
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw notYours()
    }
    return
  }
  // Not bound yet: apps before S21 sent no key, so a device id someone else already pushed with
  // is theirs (two practitioners who both pushed from one tablet both keep it).
  if (await cache.usedOnlyByOthers(claim.deviceId, claim.personId)) throw notYours()
  if (claim.deviceKey === undefined) return
  cache.bindKey({
    device_id: claim.deviceId,
    key_hash: hashKey(claim.deviceKey),
    person_id: claim.personId,
    device_session_id: claim.sessionId,
    bound_at: claim.at,
  })
}
