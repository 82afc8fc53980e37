// The device key (S21) in the IndexedDB meta table, in the clear beside the device id: every
// practitioner on the tablet sends it, and a wipe removes both together.
import type { LinjaDb } from '../storage/index.ts'

export const DEVICE_KEY = 'sync.deviceKey'

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  let text = ''
  for (const b of bytes) text += String.fromCharCode(b)
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * This tablet's device key, made on first use. The server binds the device id to it at the first
 * push that carries it, so someone who only knows the id cannot push under it. It is made once and
 * never replaced: a new key would lock the tablet out of its own id.
 */
export async function getDeviceKey(db: LinjaDb): Promise<string> {
  return db.transaction('rw', [db.meta], async () => {
    const existing = await db.meta.get(DEVICE_KEY)
    if (typeof existing?.value === 'string') return existing.value
    const key = randomKey()
    await db.meta.put({ key: DEVICE_KEY, value: key })
    return key
  })
}
