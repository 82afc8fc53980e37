// The tablet's name in the device database (meta 'device.name'): asked once at its first sign-in, changed in Innstillinger; the server keeps it beside the tablet's id.
import { getMeta, setMeta } from '../storage/index.ts'
import { loadSession } from '../sync/index.ts'
import { database } from './database.ts'
import { apiJson } from './online-api.ts'

const NAME_KEY = 'device.name'

export async function loadDeviceName(): Promise<string | null> {
  const value = await getMeta<unknown>(database(), NAME_KEY)
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

export async function saveDeviceName(name: string): Promise<void> {
  await setMeta(database(), NAME_KEY, name.trim())
}

/** What kind of tablet this is, from the browser's user agent, for a default name. */
export function platformOf(userAgent: string): string | null {
  if (/iPad|Macintosh.*Mobile/.test(userAgent)) return 'iPad'
  if (/Android/.test(userAgent)) return 'Android'
  if (/CrOS/.test(userAgent)) return 'Chromebook'
  if (/Windows/.test(userAgent)) return 'Windows'
  if (/Mac OS X/.test(userAgent)) return 'Mac'
  if (/Linux/.test(userAgent)) return 'Linux'
  return null
}

/**
 * Renames this tablet here and, when someone is signed in, on the server (which the administrator
 * sees). 'here' when only the tablet knows it yet (offline or nobody signed in: the next sign-in
 * names it only if the server has no name for it).
 */
export async function renameThisTablet(name: string): Promise<'everywhere' | 'here'> {
  await saveDeviceName(name)
  if (!(await loadSession(database()))) return 'here'
  try {
    await apiJson('/api/devices/current', { method: 'PUT', body: { name: name.trim() } })
    return 'everywhere'
  } catch {
    return 'here'
  }
}

/** The name the server knows (an administrator may have changed it); kept here too. */
export async function refreshDeviceName(): Promise<string | null> {
  if (!(await loadSession(database()))) return loadDeviceName()
  try {
    const device = await apiJson<{ name: string }>('/api/devices/current')
    await saveDeviceName(device.name)
    return device.name
  } catch {
    return loadDeviceName()
  }
}
