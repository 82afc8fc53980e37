import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PushOperation } from '../../src/core/sync-protocol.ts'
import { contentHash } from '../../sync-server/src/sync/push.ts'

// The canonical text as the server first made it: every stored applied_ops.content_hash was made
// from it, so a retry of an old operation must still hash to the same value (S4).
function firstStable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(firstStable).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstStable(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
const firstHash = (op: unknown) => createHash('sha256').update(firstStable(op)).digest('base64url')

describe('the content hash a retried operation is matched by', () => {
  it('S4: an operation acknowledged before keeps its hash, so its retry is a duplicate, not seq_reused', () => {
    const op = {
      seq: 7,
      opId: '0190a1b2-0000-7000-8000-000000000001',
      deviceId: '0190a1b2-0000-7000-8000-000000000002',
      entityId: '0190a1b2-0000-7000-8000-000000000003',
      entity: 'client',
      op: 'create',
      createdAt: '2026-01-02T03:04:05.000Z',
      baseVersion: undefined,
      payload: { id: '0190a1b2-0000-7000-8000-000000000003', code: 'Ø-1', owners: ['b', 'a'] },
    } as unknown as PushOperation
    expect(contentHash(op)).toBe('wDOnd_Jiy9l7dFqW9bdLJZwHrTMmKFg6ktl4RTX-Pl8')
    expect(contentHash(op)).toBe(firstHash(op))
  })

  it('S4: the hash of any JSON body is the one the first server made', () => {
    const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown)
    const withUndefined = fc.dictionary(fc.string(), fc.oneof(json, fc.constant(undefined)))
    fc.assert(
      fc.property(fc.oneof(json, withUndefined), (value) => {
        expect(contentHash(value as PushOperation)).toBe(firstHash(value))
      }),
      { numRuns: 500 },
    )
  })

  it('S4: strings with anything JSON escapes (quotes, backslashes, control characters, lone surrogates) hash as the first server made them', () => {
    // Any UTF-16 code unit, so a string may hold what JSON must escape (the server quotes plain strings itself).
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))
    const text = fc.oneof(
      fc.string({ unit }),
      fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\ud800', 'a', 'é') }),
    )
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(text, tie('node'), { maxKeys: 4 }),
      ),
    })).node
    fc.assert(
      fc.property(value, (v) => {
        expect(contentHash(v as PushOperation)).toBe(firstHash(v))
      }),
      { numRuns: 500 },
    )
  })
})
