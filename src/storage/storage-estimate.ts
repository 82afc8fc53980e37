// Asks the browser to keep Linja's IndexedDB data (persistent storage) and reports how much room it uses.

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

/**
 * Asks that the data never be evicted under storage pressure. true when granted (or already
 * persistent); false when refused, unsupported or failing. Never throws.
 */
export async function requestPersistence(
  manager: StorageManagerLike | undefined = defaultManager(),
): Promise<boolean> {
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
