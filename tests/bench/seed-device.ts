// Builds device records (the storage layer's own types) and writes them straight into the
// app's IndexedDB in the browser, so benchmarks can start from 500 clients or 100 sessions.
import type { Page } from 'playwright-core'
import { v7 as uuidv7 } from 'uuid'
import { INSTRUMENTS } from '../../src/core/index.ts'
import { finalForm } from '../../src/core/record-builders.ts'
import type { StoredAdministration, StoredClient, StoredEpisode } from '../../src/storage/index.ts'

export interface DeviceSeed {
  clients: StoredClient[]
  episodes: StoredEpisode[]
  administrations: StoredAdministration[]
}

/** `clients` adult clients, each with one open episode of `sessions` ORS+SRS sessions a week apart. */
export function buildSeed(clients: number, sessions: number, seed = 1): DeviceSeed {
  let s = seed
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s / 2 ** 31
  }
  const out: DeviceSeed = { clients: [], episodes: [], administrations: [] }
  const start = Date.parse('2024-01-08T09:00:00.000Z')
  for (let c = 0; c < clients; c++) {
    const created = new Date(start).toISOString()
    const client: StoredClient = {
      id: uuidv7(),
      code: `B-${String(c).padStart(4, '0')}`,
      codeSearch: `b-${String(c).padStart(4, '0')}`,
      birthYear: 1960 + (c % 40),
      ageGroup: 'adult',
      unitId: null,
      practitionerIds: [],
      archivedAt: null,
      createdAt: created,
      updatedAt: created,
    }
    const episode: StoredEpisode = {
      id: uuidv7(),
      clientId: client.id,
      startedAt: created,
      endedAt: null,
      ending: null,
      endStatus: null,
      updatedAt: created,
    }
    out.clients.push(client)
    out.episodes.push(episode)
    let level = 3 + rand() * 3
    for (let k = 1; k <= sessions; k++) {
      level = Math.min(9.5, Math.max(0.5, level + (rand() - 0.4) * 0.8))
      for (const id of ['ORS', 'SRS'] as const) {
        const at = new Date(
          start + (k - 1) * 7 * 86_400_000 + (id === 'SRS' ? 3_000_000 : 0),
        ).toISOString()
        const items: Record<string, number> = {}
        for (const item of INSTRUMENTS[id].items) {
          const base = id === 'SRS' ? 9 : level
          items[item.id] = Math.round(Math.min(10, Math.max(0, base + (rand() - 0.5))) * 10) / 10
        }
        const total = Math.round(Object.values(items).reduce((a, b) => a + b, 0) * 10) / 10
        out.administrations.push(
          finalForm({
            id: uuidv7(),
            clientId: client.id,
            episodeId: episode.id,
            instrumentId: id,
            instrumentVersion: INSTRUMENTS[id].version,
            items,
            total,
            rater: 'client',
            collectedBy: 'tablet',
            session: k,
            markedAt: at,
            locale: 'nb',
          }),
        )
      }
    }
  }
  return out
}

/** Writes the seed into the database the app has already opened (object stores keyed by id). */
export async function writeSeed(page: Page, seed: DeviceSeed): Promise<void> {
  await page.evaluate(async (data) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('linja')
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['clients', 'episodes', 'administrations'], 'readwrite')
      for (const c of data.clients) tx.objectStore('clients').put(c)
      for (const e of data.episodes) tx.objectStore('episodes').put(e)
      for (const a of data.administrations) tx.objectStore('administrations').put(a)
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    })
    db.close()
  }, seed)
}
