// Cost of encryption at rest: PIN unlock (PBKDF2 at the app's iteration count) and the added cost per saved mark, sealed vs plain, in the same run.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { INSTRUMENTS } from '../../src/core/index.ts'
import {
  KDF_ITERATIONS,
  keysFromSecret,
  newSecret,
  unwrapKeys,
  wrapSecret,
} from '../../src/storage/crypto.ts'
import {
  createClient,
  type LinjaDb,
  openLinjaDb,
  saveMark,
  startDraft,
} from '../../src/storage/index.ts'
import { type BenchFigure, quantile } from './stats.ts'

const UNLOCKS = 7
const MARKS = 400

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

async function device(sealed: boolean): Promise<{ db: LinjaDb; draftId: string }> {
  const db = openLinjaDb(`bench-${sealed ? 'sealed' : 'plain'}`, {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
  })
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
async function timeMarks(): Promise<{ plain: number[]; sealed: number[] }> {
  const plain = await device(false)
  const sealed = await device(true)
  const items = INSTRUMENTS.ORS.items.map((i) => i.id)
  const out = { plain: [] as number[], sealed: [] as number[] }
  for (let i = 0; i < MARKS; i++) {
    const item = items[i % items.length] ?? 'ors.overall'
    const value = Math.round(Math.random() * 100) / 10
    for (const [name, d] of [
      ['plain', plain],
      ['sealed', sealed],
    ] as const) {
      const t0 = performance.now()
      await saveMark(d.db, d.draftId, item, value)
      out[name].push(performance.now() - t0)
    }
  }
  plain.db.close()
  sealed.db.close()
  return out
}

export async function cryptoBench(): Promise<BenchFigure[]> {
  const unlocks = await timeUnlocks()
  const marks = await timeMarks()
  const p95 = (xs: number[]) => quantile(xs, 0.95)
  const where =
    'Node Web Crypto and fake-indexeddb; a tablet browser differs, the ratio is the point'
  return [
    {
      name: `PIN unlock (PBKDF2-SHA-256, ${KDF_ITERATIONS} iterations, then HKDF)`,
      unit: 'ms',
      n: unlocks.length,
      p50: quantile(unlocks, 0.5),
      p95: p95(unlocks),
      note: where,
    },
    {
      name: 'saveMark, plain rows',
      unit: 'ms',
      n: marks.plain.length,
      p50: quantile(marks.plain, 0.5),
      p95: p95(marks.plain),
    },
    {
      name: 'saveMark, sealed rows (AES-GCM, optimistic write)',
      unit: 'ms',
      n: marks.sealed.length,
      p50: quantile(marks.sealed, 0.5),
      p95: p95(marks.sealed),
    },
    {
      name: 'Added cost per saved mark (p95 sealed − p95 plain)',
      unit: 'ms',
      value: p95(marks.sealed) - p95(marks.plain),
      note: where,
    },
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await cryptoBench())
}
