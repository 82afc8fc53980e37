// The encryption-at-rest timing loop, shared by the Node run and the Chromium page (no Node imports: Vite bundles it for the browser).
import { INSTRUMENTS } from '../../src/core/index.ts'
import {
  KDF_ITERATIONS,
  keysFromSecret,
  newSecret,
  unwrapKeys,
  wrapSecret,
} from '../../src/storage/crypto.ts'
import { createClient, type LinjaDb, saveMark, startDraft } from '../../src/storage/index.ts'

export const UNLOCKS = 7
export const MARKS = 400

/** Raw samples in ms, so both runs are summarised by the same code in Node. */
export interface CryptoTimings {
  unlocks: number[]
  plain: number[]
  sealed: number[]
}

/** Opens an empty device database; each call gets a name of its own. */
export type OpenDevice = (name: string) => LinjaDb

async function timeUnlocks(): Promise<number[]> {
  const wrapped = await wrapSecret(newSecret(), '2468', { iterations: KDF_ITERATIONS })
  const times: number[] = []
  for (let i = 0; i < UNLOCKS; i++) {
    const t0 = performance.now()
    await unwrapKeys(wrapped, '2468')
    times.push(performance.now() - t0)
  }
  return times
}

async function device(
  open: OpenDevice,
  sealed: boolean,
): Promise<{ db: LinjaDb; draftId: string }> {
  const db = open(`bench-${sealed ? 'sealed' : 'plain'}`)
  if (sealed) db.unlock(await keysFromSecret('bench', newSecret()))
  const client = await createClient(db, { code: 'BENCH-1', ageGroup: 'adult' })
  const draft = await startDraft(db, {
    clientId: client.id,
    instrumentId: 'ORS',
    rater: 'client',
    collectedBy: 'tablet',
    locale: 'nb',
  })
  return { db, draftId: draft.id }
}

/** Marks alternate between the plain and the sealed device, so both see the same machine load. */
async function timeMarks(open: OpenDevice): Promise<{ plain: number[]; sealed: number[] }> {
  const plain = await device(open, false)
  const sealed = await device(open, true)
  const items = INSTRUMENTS.ORS.items.map((i) => i.id)
  const out = { plain: [] as number[], sealed: [] as number[] }
  for (let i = 0; i < MARKS; i++) {
    const item = items[i % items.length] ?? 'ors.overall'
    const value = Math.round(Math.random() * 100) / 10
    const pair = [
      ['plain', plain],
      ['sealed', sealed],
    ] as const
    // Which goes first swaps every mark: the second write of a pair can find the first's commit still settling.
    for (const [name, d] of i % 2 === 0 ? pair : [pair[1], pair[0]]) {
      const t0 = performance.now()
      await saveMark(d.db, d.draftId, item, value)
      out[name].push(performance.now() - t0)
    }
  }
  plain.db.close()
  sealed.db.close()
  return out
}

export async function timeCrypto(open: OpenDevice): Promise<CryptoTimings> {
  const unlocks = await timeUnlocks()
  const marks = await timeMarks(open)
  return { unlocks, ...marks }
}
