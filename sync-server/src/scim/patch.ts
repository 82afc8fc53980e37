// SCIM PATCH (RFC 7644 §3.5.2) in the shapes Entra ID sends: operations turned into a new user state or membership changes.
import { Refusal } from '../refusal.ts'
import type { UserState } from './users.ts'

export interface PatchOperation {
  op: string
  path?: string | undefined
  value?: unknown
}

type Op = 'add' | 'replace' | 'remove'

function opOf(raw: string): Op {
  const op = raw.toLowerCase()
  if (op === 'add' || op === 'replace' || op === 'remove') return op
  throw new Refusal(
    400,
    'invalidSyntax',
    `Unknown PATCH operation "${raw}": use add, replace or remove.`,
  )
}

/** true/false, and Entra's "True"/"False" strings. */
export function scimBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value))
    return value.toLowerCase() === 'true'
  throw new Refusal(400, 'invalidValue', `${path} must be true or false.`)
}

function text(value: unknown, path: string, max: number): string | null {
  if (value === null) return null
  if (typeof value === 'string' && value.length <= max && !value.includes('\u0000')) return value
  throw new Refusal(400, 'invalidValue', `${path} must be text of at most ${max} characters.`)
}

/** The e-mail Linja keeps: the work address, else the primary, else the first. */
export function workEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) throw new Refusal(400, 'invalidValue', 'emails must be a list.')
  const list = emails.filter(
    (e): e is { value: string; type?: unknown; primary?: unknown } =>
      typeof e === 'object' && e !== null && typeof (e as { value?: unknown }).value === 'string',
  )
  const chosen =
    list.find((e) => String(e.type).toLowerCase() === 'work') ??
    list.find((e) => e.primary === true || String(e.primary).toLowerCase() === 'true') ??
    list[0]
  return chosen ? text(chosen.value, 'emails.value', 254) : null
}

/** Attribute paths Linja keeps; others (enterprise extension, title, phone numbers…) are accepted and left alone. */
const ATTRIBUTE_PATH = /^(urn:[^ ]+:)?[A-Za-z][\w]*(\[[^\]]*\])?(\.[A-Za-z][\w]*)?$/
const WORK_EMAIL = /^emails(\[\s*type\s+eq\s+"work"\s*\])?\.value$/i

function setAttribute(state: UserState, op: Op, path: string, value: unknown): void {
  const p = path.trim()
  const v = op === 'remove' ? null : value
  switch (p.toLowerCase()) {
    case 'active':
      if (v === null) throw new Refusal(400, 'mutability', 'active cannot be removed.')
      state.active = scimBoolean(v, 'active')
      return
    case 'username': {
      const name = text(v, 'userName', 256)
      if (name === null || name.trim() === '')
        throw new Refusal(400, 'mutability', 'userName cannot be removed.')
      state.userName = name
      return
    }
    case 'externalid':
      state.externalId = text(v, 'externalId', 256)
      return
    case 'displayname':
      state.displayName = text(v, 'displayName', 200)
      return
    case 'name.givenname':
      state.givenName = text(v, 'name.givenName', 100)
      return
    case 'name.familyname':
      state.familyName = text(v, 'name.familyName', 100)
      return
    case 'name.formatted':
      state.formatted = text(v, 'name.formatted', 200)
      return
    case 'name':
      if (v === null) {
        state.givenName = null
        state.familyName = null
        state.formatted = null
        return
      }
      if (typeof v !== 'object') throw new Refusal(400, 'invalidValue', 'name must be an object.')
      for (const [key, inner] of Object.entries(v)) setAttribute(state, op, `name.${key}`, inner)
      return
    case 'emails':
      state.email = v === null ? null : workEmail(v)
      return
  }
  if (WORK_EMAIL.test(p)) {
    state.email = text(v, 'emails[type eq "work"].value', 254)
    return
  }
  if (!ATTRIBUTE_PATH.test(p))
    throw new Refusal(400, 'invalidPath', `"${p}" is not an attribute path.`)
}

/**
 * Hands each attribute the operations name to `apply`, in order: an operation's path, or without
 * a path each attribute of its object value (Entra: {"active": false}). A remove without a path
 * is refused with `removeWithoutPath` (users and groups word it differently).
 */
function eachAttribute(
  operations: readonly PatchOperation[],
  apply: (op: Op, path: string, value: unknown, operation: PatchOperation) => void,
  removeWithoutPath: (operation: PatchOperation) => Refusal,
): void {
  for (const operation of operations) {
    const op = opOf(operation.op)
    if (operation.path !== undefined && operation.path.trim() !== '') {
      apply(op, operation.path, operation.value, operation)
    } else if (op === 'remove') {
      throw removeWithoutPath(operation)
    } else if (typeof operation.value === 'object' && operation.value !== null) {
      for (const [key, value] of Object.entries(operation.value)) apply(op, key, value, operation)
    } else {
      throw withoutPath(operation)
    }
  }
}

const withoutPath = (operation: PatchOperation) =>
  new Refusal(400, 'invalidSyntax', `${operation.op} without a path needs an object value.`)

/** A user's state after the operations, applied in order (RFC 7644: all or nothing). */
export function patchUser(before: UserState, operations: readonly PatchOperation[]): UserState {
  const state = { ...before }
  eachAttribute(
    operations,
    (op, path, value, operation) => {
      if (op !== 'remove' && value === undefined)
        throw new Refusal(400, 'invalidSyntax', `${operation.op} ${operation.path} needs a value.`)
      setAttribute(state, op, path, value)
    },
    () => new Refusal(400, 'noTarget', 'remove needs a path.'),
  )
  return state
}

export interface GroupPatch {
  displayName?: string
  externalId?: string | null
  /** replace: the members become exactly these; otherwise add then remove. */
  replaceMembers?: string[]
  addMembers: string[]
  removeMembers: string[]
  removeAllMembers: boolean
}

function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value]
  return list.map((m) => {
    const id = typeof m === 'object' && m !== null ? (m as { value?: unknown }).value : undefined
    if (typeof id !== 'string' || id === '' || id.length > 64)
      throw new Refusal(400, 'invalidValue', 'A member is {"value": "<user id>"}.')
    return id
  })
}

const MEMBER_FILTER = /^members\s*\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i

/** What a Group PATCH changes (Entra: add/remove `members`, replace `displayName`). */
export function patchGroup(operations: readonly PatchOperation[]): GroupPatch {
  const patch: GroupPatch = { addMembers: [], removeMembers: [], removeAllMembers: false }
  const apply = (op: Op, path: string, value: unknown) => {
    const lower = path.trim().toLowerCase()
    const one = MEMBER_FILTER.exec(path.trim())
    if (lower === 'members') {
      if (op === 'add') patch.addMembers.push(...memberIds(value))
      else if (op === 'replace') patch.replaceMembers = memberIds(value ?? [])
      else if (value === undefined) patch.removeAllMembers = true
      else patch.removeMembers.push(...memberIds(value))
    } else if (one?.[1] !== undefined && op === 'remove') {
      patch.removeMembers.push(one[1])
    } else if (lower === 'displayname' && op !== 'remove') {
      const name = text(value, 'displayName', 256)
      if (!name) throw new Refusal(400, 'invalidValue', 'displayName must not be empty.')
      patch.displayName = name
    } else if (lower === 'externalid') {
      patch.externalId = op === 'remove' ? null : text(value, 'externalId', 256)
    } else {
      throw new Refusal(400, 'invalidPath', `A group cannot ${op} "${path}".`)
    }
  }
  eachAttribute(operations, apply, withoutPath)
  return patch
}
