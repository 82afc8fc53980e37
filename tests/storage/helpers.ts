// Test helpers: a fresh fake-indexeddb factory per test, a controllable device clock, form builders.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { INSTRUMENTS, type InstrumentId } from '../../src/core/index.ts'
import {
  type LinjaDb,
  openLinjaDb,
  StorageError,
  type StorageErrorCode,
} from '../../src/storage/index.ts'
import { TEST_KEYS } from './keys.ts'

export interface TestClock {
  now: () => Date
  /** Jump to an ISO time; every read afterwards advances one second. */
  set: (iso: string) => void
}

export function testClock(startISO = '2025-03-03T09:00:00.000Z'): TestClock {
  let t = Date.parse(startISO)
  return {
    now: () => {
      const d = new Date(t)
      t += 1000
      return d
    },
    set: (iso) => {
      t = Date.parse(iso)
    },
  }
}

export interface TestDb {
  db: LinjaDb
  factory: IDBFactory
  clock: TestClock
  /** Closes and opens the same database again, as after a reload. */
  reopen: () => LinjaDb
}

/**
 * Records are sealed with TEST_KEYS, as in the app after an unlock; `{ sealed: false }` keeps
 * plain rows, as a version before encryption wrote them.
 */
export function freshDb(name = 'linja', options: { sealed?: boolean } = {}): TestDb {
  const factory = new IDBFactory()
  const clock = testClock()
  const open = () => {
    const db = openLinjaDb(name, { indexedDB: factory, IDBKeyRange, now: clock.now })
    if (options.sealed !== false) db.unlock(TEST_KEYS)
    return db
  }
  const state: TestDb = {
    db: open(),
    factory,
    clock,
    reopen: () => {
      state.db.close()
      state.db = open()
      return state.db
    },
  }
  return state
}

/** Every item of the form set to `value` (or per-item values in order). */
export function itemsOf(
  instrumentId: InstrumentId,
  values: number | readonly number[],
): Record<string, number> {
  const ids = INSTRUMENTS[instrumentId].items.map((i) => i.id)
  return Object.fromEntries(
    ids.map((id, i) => [id, typeof values === 'number' ? values : (values[i] ?? 0)]),
  )
}

export function itemIds(instrumentId: InstrumentId): string[] {
  return INSTRUMENTS[instrumentId].items.map((i) => i.id)
}

/** Awaits `promise`, expecting a StorageError with `code`; returns it for further checks. */
export async function expectStorageError(
  promise: Promise<unknown>,
  code: StorageErrorCode,
): Promise<StorageError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof StorageError && error.code === code) return error
    throw new Error(
      `Expected StorageError '${code}', got ${String(error)}${error instanceof StorageError ? ` (${error.code})` : ''}`,
    )
  }
  throw new Error(`Expected StorageError '${code}', but it resolved`)
}
