import { afterEach, describe, expect, it } from 'vitest'
import { backends, serverFor, type TestServer } from './support/backends.ts'
import { freshWorlds } from './support/fresh-world.ts'
import { rawSql } from './support/raw-sql.ts'

const SCOPE = /^\/api\/(admin\/|settings$|text-packs\/)/

type Schema = Record<string, unknown>
type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }
    >
  >
}

/** Places in a schema that let an answer carry fields nobody declared or that say nothing. */
function openings(schema: unknown, at: string, out: string[]): void {
  if (typeof schema !== 'object' || schema === null) return
  const s = schema as Schema
  const described = ['type', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', '$ref'].some((k) => k in s)
  if (!described) out.push(`${at}: says nothing about the value`)
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const options = Array.isArray(s[key]) ? (s[key] as unknown[]) : []
    for (const [i, option] of options.entries()) openings(option, `${at}|${i}`, out)
  }
  if (s.type === 'array') openings(s.items, `${at}[]`, out)
  if (s.type !== 'object') return
  const properties = (s.properties ?? {}) as Record<string, unknown>
  for (const [key, value] of Object.entries(properties)) openings(value, `${at}.${key}`, out)
  // A record (item texts by id) declares the value of every key instead of the keys.
  const records = [
    ...Object.values((s.patternProperties ?? {}) as Record<string, unknown>),
    ...(typeof s.additionalProperties === 'object' ? [s.additionalProperties] : []),
  ]
  for (const value of records) openings(value, `${at}.*`, out)
  if (records.length === 0 && s.additionalProperties !== false)
    out.push(`${at}: may carry fields it does not declare`)
}

const TEXT_PACK = {
  format: 'linja-text-pack',
  formatVersion: 1,
  version: '2026.1',
  licence: { licensee: 'Eksempel kommune', reference: 'LIC-0001' },
  entries: [
    {
      instrumentId: 'ORS',
      language: 'nb',
      title: 'Title nb',
      instructions: 'Instructions nb',
      items: {
        'ors.individually': 'A',
        'ors.interpersonally': 'B',
        'ors.socially': 'C',
        'ors.overall': 'D',
      },
      endLabels: { low: 'low', high: 'high' },
    },
  ],
}

describe('admin answers in the OpenAPI document', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('describes every success answer of administration, settings and text packs field by field', async () => {
    server = await serverFor('sqlite')
    await server.app.ready()
    const doc = server.app.swagger() as Doc
    const found: string[] = []
    let answers = 0
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!SCOPE.test(path)) continue
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(op.responses ?? {})) {
          if (!status.startsWith('2') || status === '204') continue
          answers += 1
          const schema = response.content?.['application/json']?.schema
          if (!schema) found.push(`${method} ${path} ${status}: no schema`)
          else openings(schema, `${method} ${path} ${status}`, found)
        }
      }
    }
    expect(answers).toBeGreaterThan(20)
    expect(found).toEqual([])
    const active = doc.paths['/api/text-packs/active']?.get?.responses?.['200']
    expect(active?.content?.['application/json']?.schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['format', 'version', 'licence', 'entries']),
    })
  })
})

describe.each(backends())('admin answers (%s)', (backend) => {
  const setup = freshWorlds(backend)

  it('carry no hash, no token and no stored field they do not declare', async () => {
    const { app, world, database } = await setup()
    const { admin } = world
    const upload = await app.inject({
      method: 'POST',
      url: '/api/admin/text-packs',
      headers: admin.headers,
      payload: TEXT_PACK,
    })
    expect(upload.statusCode).toBe(201)
    // A pack row as an older server or a hand edit might have left it: fields beside the pack's own.
    const stored = {
      ...TEXT_PACK,
      uploaderNote: 'internal',
      licence: { ...TEXT_PACK.licence, key: 'secret-licence-key' },
    }
    await rawSql(database, 'update text_packs set pack = ? where active = 1', [
      JSON.stringify(stored),
    ])
    const active = await app.inject({ url: '/api/text-packs/active', headers: world.pia.headers })
    expect(active.statusCode).toBe(200)
    expect(active.json()).toEqual(TEXT_PACK)

    const secrets = Object.values(world).flatMap((s) => [s.accessToken, s.refreshToken])
    const urls = [
      '/api/admin/people',
      '/api/admin/units',
      '/api/admin/tablets',
      '/api/admin/audit',
      '/api/admin/settings',
      '/api/admin/text-packs',
      '/api/settings',
    ]
    for (const url of urls) {
      const res = await app.inject({ url, headers: admin.headers })
      expect(res.statusCode, url).toBe(200)
      expect(res.body, url).not.toMatch(/scrypt\$|password|hash|token|secret/i)
      for (const secret of secrets) expect(res.body, url).not.toContain(secret)
    }
  }, 60_000)
})
