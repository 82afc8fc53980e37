// Whether the browser keeps Linja's IndexedDB data for good (persistent storage), asked by the app itself once records are stored.
import { create } from 'zustand'
import { estimateStorage, requestPersistence } from '../storage/index.ts'

export { estimateStorage, requestPersistence }

interface StorageStatus {
  /** true: kept for good; false: the browser may evict it (refused, or not asked yet); null: unknown. */
  persisted: boolean | null
  /** The app asked and the browser said no: unsynced records are at risk. */
  refused: boolean
}

export const useStorageStatus = create<StorageStatus>()(() => ({ persisted: null, refused: false }))

let asked = false

/** At start: what the browser already decided (no question asked). */
export async function checkPersistence(): Promise<void> {
  try {
    const persisted = (await navigator.storage?.persisted?.()) ?? null
    useStorageStatus.setState({ persisted })
  } catch {
    useStorageStatus.setState({ persisted: null })
  }
}

/**
 * After a record is stored: asks once per app start for persistent storage, so the browser does
 * not evict records that are not yet on the server. The answer is shown in the header and in
 * Innstillinger.
 */
export async function askPersistenceOnce(): Promise<void> {
  if (asked || useStorageStatus.getState().persisted === true) return
  asked = true
  await askPersistence()
}

/** The person's own request (Innstillinger), or the app's after the first record. */
export async function askPersistence(): Promise<boolean> {
  const persisted = await requestPersistence()
  useStorageStatus.setState({ persisted, refused: !persisted })
  return persisted
}
