// Pseudonymous clients in the IndexedDB `clients` table, sealed; every change also queues its outbox entry.

import { v7 as uuidv7 } from 'uuid'
import { AGE_GROUPS, type AgeGroup, ageFromBirthYear, ageGroupForAge } from '../core/index.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { enqueue, prepareEntry } from './outbox.ts'
import { CLIENT_CODE_MAX_LENGTH, type StoredClient } from './records.ts'
import { codeKeyOf, decodeRow, decodeRows, encodeClient } from './sealing.ts'
import { plannedWrite } from './write.ts'

export interface NewClient {
  code: string
  birthYear?: number | null
  /** Derived from `birthYear` when left out; required when there is no birth year. */
  ageGroup?: AgeGroup
  unitId?: string | null
  practitionerIds?: string[]
}

export interface ClientPatch {
  code?: string
  birthYear?: number | null
  ageGroup?: AgeGroup
  unitId?: string | null
  practitionerIds?: string[]
  /** true archives the client (its code becomes free again), false restores it. */
  archived?: boolean
}

export interface ClientListOptions {
  includeArchived?: boolean
}

function normaliseCode(raw: string): string {
  const code = typeof raw === 'string' ? raw.trim() : ''
  if (code === '') throw new StorageError('invalid-code', 'A client code cannot be empty.')
  if (code.length > CLIENT_CODE_MAX_LENGTH) {
    throw new StorageError(
      'invalid-code',
      `A client code has at most ${CLIENT_CODE_MAX_LENGTH} characters.`,
    )
  }
  return code
}

function resolveAgeGroup(
  birthYear: number | null,
  ageGroup: AgeGroup | undefined,
  nowISO: string,
): AgeGroup {
  if (birthYear !== null) {
    let derived: AgeGroup
    try {
      derived = ageGroupForAge(ageFromBirthYear(birthYear, nowISO))
    } catch (cause) {
      throw new StorageError('invalid-birth-year', `Birth year ${birthYear} is not a past year.`, {
        cause,
      })
    }
    if (ageGroup === undefined) return derived
  }
  if (ageGroup === undefined) {
    throw new StorageError('missing-age-group', 'Give a birth year or an age group.')
  }
  if (!(AGE_GROUPS as readonly string[]).includes(ageGroup)) {
    throw new StorageError('invalid-argument', `Unknown age group: ${String(ageGroup)}`)
  }
  return ageGroup
}

/**
 * Refuses a code another active client already has. Reads the index only: for sealed rows it
 * holds a keyed hash, so the check needs no decryption. `plannedWrite` makes it hold at commit.
 */
async function assertCodeFree(db: LinjaDb, code: string, exceptId: string | null): Promise<void> {
  const key = await codeKeyOf(db, code)
  const clash = await db.clients
    .where('codeKey')
    .equals(key)
    .filter((c) => c.id !== exceptId)
    .first()
  if (clash) {
    const other = await decodeRow<StoredClient>(db, 'clients', clash)
    throw new StorageError(
      'duplicate-code',
      `The code “${other?.code ?? code}” is already used on this device.`,
    )
  }
}

function syncTables(db: LinjaDb) {
  return [db.clients, db.outbox, db.meta]
}

export async function createClient(db: LinjaDb, input: NewClient): Promise<StoredClient> {
  const code = normaliseCode(input.code)
  const now = db.nowISO()
  const birthYear = input.birthYear ?? null
  const ageGroup = resolveAgeGroup(birthYear, input.ageGroup, now)
  const client: StoredClient = {
    id: uuidv7(),
    code,
    codeSearch: code.toLowerCase(),
    birthYear,
    ageGroup,
    unitId: input.unitId ?? null,
    practitionerIds: [...(input.practitionerIds ?? [])],
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
  }
  return plannedWrite(db, syncTables(db), async () => {
    await assertCodeFree(db, code, null)
    const row = await encodeClient(db, client)
    const entry = await prepareEntry(db, {
      entity: 'client',
      entityId: client.id,
      op: 'create',
      payload: client,
    })
    return async () => {
      await db.clients.add(row)
      await enqueue(db, entry)
      return client
    }
  })
}

export async function updateClient(
  db: LinjaDb,
  id: string,
  patch: ClientPatch,
): Promise<StoredClient> {
  const now = db.nowISO()
  return plannedWrite(db, syncTables(db), async () => {
    const current = await getClient(db, id)
    if (!current) throw new StorageError('not-found', `No client ${id}.`)
    const next: StoredClient = { ...current, updatedAt: now }
    if (patch.code !== undefined) {
      next.code = normaliseCode(patch.code)
      next.codeSearch = next.code.toLowerCase()
    }
    if (patch.birthYear !== undefined) next.birthYear = patch.birthYear
    if (patch.birthYear !== undefined || patch.ageGroup !== undefined) {
      // A new birth year re-derives the age group unless one is given with it.
      next.ageGroup = resolveAgeGroup(next.birthYear, patch.ageGroup, now)
    }
    if (patch.unitId !== undefined) next.unitId = patch.unitId
    if (patch.practitionerIds !== undefined) next.practitionerIds = [...patch.practitionerIds]
    if (patch.archived !== undefined)
      next.archivedAt = patch.archived ? (current.archivedAt ?? now) : null
    if (next.archivedAt === null) await assertCodeFree(db, next.code, id)
    const row = await encodeClient(db, next)
    const entry = await prepareEntry(db, {
      entity: 'client',
      entityId: id,
      op: 'update',
      payload: next,
    })
    return async () => {
      await db.clients.put(row)
      await enqueue(db, entry)
      return next
    }
  })
}

export async function getClient(db: LinjaDb, id: string): Promise<StoredClient | undefined> {
  return decodeRow<StoredClient>(db, 'clients', await db.clients.get(id))
}

function byCode(a: StoredClient, b: StoredClient): number {
  return a.codeSearch < b.codeSearch ? -1 : a.codeSearch > b.codeSearch ? 1 : a.id < b.id ? -1 : 1
}

/** Clients in code order (case-insensitive); archived ones only when asked for. */
export async function listClients(
  db: LinjaDb,
  options: ClientListOptions = {},
): Promise<StoredClient[]> {
  const all = (await decodeRows<StoredClient>(db, 'clients', await db.clients.toArray())).sort(
    byCode,
  )
  return options.includeArchived ? all : all.filter((c) => c.archivedAt === null)
}
