// Pseudonymous clients in the IndexedDB `clients` table; every change also queues its outbox entry.

import { v7 as uuidv7 } from 'uuid'
import { AGE_GROUPS, type AgeGroup, ageFromBirthYear, ageGroupForAge } from '../core/index.ts'
import type { LinjaDb } from './db.ts'
import { StorageError } from './errors.ts'
import { enqueue } from './outbox.ts'
import { CLIENT_CODE_MAX_LENGTH, type StoredClient } from './records.ts'
import { writeTransaction } from './write.ts'

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

/** Inside a transaction over `clients`: refuses a code another active client already has. */
async function assertCodeFree(
  db: LinjaDb,
  codeSearch: string,
  exceptId: string | null,
): Promise<void> {
  const clash = await db.clients
    .where('codeSearch')
    .equals(codeSearch)
    .filter((c) => c.archivedAt === null && c.id !== exceptId)
    .first()
  if (clash) {
    throw new StorageError(
      'duplicate-code',
      `The code “${clash.code}” is already used on this device.`,
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
  return writeTransaction(db, syncTables(db), async () => {
    await assertCodeFree(db, client.codeSearch, null)
    await db.clients.add(client)
    await enqueue(db, { entity: 'client', entityId: client.id, op: 'create', payload: client })
    return client
  })
}

export async function updateClient(
  db: LinjaDb,
  id: string,
  patch: ClientPatch,
): Promise<StoredClient> {
  const now = db.nowISO()
  return writeTransaction(db, syncTables(db), async () => {
    const current = await db.clients.get(id)
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
    if (next.archivedAt === null) await assertCodeFree(db, next.codeSearch, id)
    await db.clients.put(next)
    await enqueue(db, { entity: 'client', entityId: id, op: 'update', payload: next })
    return next
  })
}

export async function getClient(db: LinjaDb, id: string): Promise<StoredClient | undefined> {
  return db.clients.get(id)
}

/** Clients in code order (case-insensitive); archived ones only when asked for. */
export async function listClients(
  db: LinjaDb,
  options: ClientListOptions = {},
): Promise<StoredClient[]> {
  const all = await db.clients.orderBy('codeSearch').toArray()
  return options.includeArchived ? all : all.filter((c) => c.archivedAt === null)
}

/** Clients whose code starts with `prefix`, ignoring case and surrounding spaces. */
export async function searchClients(
  db: LinjaDb,
  prefix: string,
  options: ClientListOptions = {},
): Promise<StoredClient[]> {
  const needle = prefix.trim().toLowerCase()
  if (needle === '') return listClients(db, options)
  const found = await db.clients.where('codeSearch').startsWith(needle).toArray()
  return options.includeArchived ? found : found.filter((c) => c.archivedAt === null)
}
