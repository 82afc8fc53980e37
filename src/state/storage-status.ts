// Whether the browser keeps Linja's IndexedDB data for good (persistent storage), asked by the app
// itself once records are stored, and how much room the data takes; the answers are kept in a store
// for the header and Innstillinger.
import { create } from 'zustand'

/** The part of `navigator.storage` used here; tests pass their own. */
export interface StorageManagerLike {
  persist?: () => Promise<boolean>
  persisted?: () => Promise<boolean>
  estimate?: () => Promise<{ usage?: number; quota?: number }>
}

export interface StorageEstimateResult {
  usage: number
  quota: number
}

function defaultManager(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage
}

interface StorageStatus {
  /** true: kept for good; false: the browser may evict it (refused, or not asked yet); null: unknown. */
  persisted: boolean | null
  /** The app asked and the browser said no: unsynced records are at risk. */
  refused: boolean
}

export const useStorageStatus = create<StorageStatus>()(() => ({ persisted: null, refused: false }))

let asked = false

/** At start: what the browser already decided (no question asked). */
export async function checkPersistence(
  manager: StorageManagerLike | undefined = defaultManager(),
): Promise<void> {
  try {
    useStorageStatus.setState({ persisted: (await manager?.persisted?.()) ?? null })
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

/**
 * The person's own request (Innstillinger), or the app's after the first record: asks that the
 * data never be evicted under storage pressure. true when granted (or already persistent); false
 * when refused, unsupported or failing. Never throws.
 */
export async function askPersistence(
  manager: StorageManagerLike | undefined = defaultManager(),
): Promise<boolean> {
  const persisted = await requestPersistence(manager)
  useStorageStatus.setState({ persisted, refused: !persisted })
  return persisted
}

async function requestPersistence(manager: StorageManagerLike | undefined): Promise<boolean> {
  try {
    if (!manager) return false
    if (manager.persisted && (await manager.persisted())) return true
    return manager.persist ? await manager.persist() : false
  } catch {
    return false
  }
}

/** Usage and quota in bytes, or null when the browser cannot tell. Never throws. */
export async function estimateStorage(
  manager: StorageManagerLike | undefined = defaultManager(),
): Promise<StorageEstimateResult | null> {
  try {
    if (!manager?.estimate) return null
    const { usage, quota } = await manager.estimate()
    if (typeof usage !== 'number' || typeof quota !== 'number') return null
    return { usage, quota }
  } catch {
    return null
  }
}
