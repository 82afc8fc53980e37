// The app's one handle on the device database (IndexedDB via Dexie), opened lazily.
import { type LinjaDb, openLinjaDb } from '../storage/index.ts'

let instance: LinjaDb | null = null

export function database(): LinjaDb {
  if (!instance) instance = openLinjaDb()
  return instance
}
