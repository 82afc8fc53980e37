// Every API route from the server's OpenAPI document, and requests each route must refuse: broken
// or oversized bodies, values of the wrong type, bad ids and queries, no or a forged token.
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'

/** The subset of JSON Schema the routes' TypeBox schemas turn into. */
export interface Schema {
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  pattern?: string
  /** Our own formats (app.ts): 'calendar-date', 'calendar-date-time'; also 'date-time'. */
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minProperties?: number
  maxItems?: number
  /** OpenAPI 3.0's way to allow null besides `type`. */
  nullable?: boolean
}

interface Parameter {
  name: string
  in: 'path' | 'query'
  required?: boolean
  schema: Schema
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** As Fastify writes it: /api/admin/people/:id */
  path: string
  params: Parameter[]
  query: Parameter[]
  /** The body schema; `{}` when the handler checks the body itself; null when none is declared. */
  body: Schema | null
}

/** The routes anyone may call; every other route needs a valid access token. */
/** Routes anyone may call without an access token (sign-in steps carry their own one-time proofs). */
export const PUBLIC_ROUTES = [
  'POST /api/auth/login',
  'POST /api/auth/login/code',
  'POST /api/auth/login/enrolment',
  'POST /api/auth/login/enrolment/confirm',
  'POST /api/auth/refresh',
  'GET /api/auth/oidc',
  'POST /api/auth/oidc/start',
  'GET /api/auth/oidc/callback',
  'POST /api/auth/oidc/exchange',
  'GET /api/health',
]

export function routesOf(app: FastifyInstance): RouteSpec[] {
  const doc = app.swagger() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Parameter[]
          requestBody?: { content?: Record<string, { schema?: Schema }> }
        }
      >
    >
  }
  const routes: RouteSpec[] = []
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const parameters = op.parameters ?? []
      routes.push({
        method: method.toUpperCase() as RouteSpec['method'],
        path: path.replace(/\{(\w+)\}/g, ':$1'),
        params: parameters.filter((p) => p.in === 'path'),
        query: parameters.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      })
    }
  }
  return routes
}

export const isPublic = (r: RouteSpec) => PUBLIC_ROUTES.includes(`${r.method} ${r.path}`)
const hasBody = (r: RouteSpec) => r.method !== 'GET'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
const NONE = Symbol('no violation here')

function typesOf(schema: Schema): string[] | null {
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type]
    return schema.nullable ? [...types, 'null'] : types
  }
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) {
    const all = alternatives.map(typesOf)
    return all.some((t) => t === null) ? null : [...new Set(all.flat() as string[])]
  }
  const values = schema.enum ?? (schema.const !== undefined ? [schema.const] : null)
  return values ? [...new Set(values.map(jsonType))] : null
}

function jsonType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

const fits = (allowed: string[], v: unknown) => {
  const t = jsonType(v)
  return allowed.includes(t) || (t === 'integer' && allowed.includes('number'))
}

/** A value with the right shape where the shape is easy to meet (it need not be valid). */
export function sample(schema: Schema): Json {
  if (schema.const !== undefined) return schema.const as Json
  if (schema.enum) return schema.enum[0] as Json
  const alternative = (schema.anyOf ?? schema.oneOf)?.[0]
  if (alternative) return sample(alternative)
  switch (typesOf(schema)?.[0]) {
    case 'string':
      if (schema.format && DATE_FORMATS.includes(schema.format)) return '2026-01-01'
      return 'a'.repeat(Math.max(1, schema.minLength ?? 1))
    case 'integer':
    case 'number':
      return schema.minimum ?? 1
    case 'boolean':
      return true
    case 'array':
      return []
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((k) => [k, sample(schema.properties?.[k] ?? {})]),
      )
    default:
      return 'a'
  }
}

/** The formats of date parameters (sync-server/src/routes/schemas.ts). */
export const DATE_FORMATS = ['calendar-date', 'calendar-date-time']
/** Dates no date parameter may take: impossible, out of range, or not YYYY-MM-DD. */
export const IMPOSSIBLE_DATES = [
  '2026-13-45',
  '9999-12-31',
  '2026-02-30',
  '2026-02-29',
  '2026-00-10',
  '2026-04-31',
  '1999-12-31',
  '2101-01-01',
  '0000-01-01',
  '2026-1-1',
  '26-01-01',
  '2026-01-01T24:00:00Z',
  '2026-01-01T10:61Z',
  '2026/01/01',
  '+02026-01-01',
  '2026-01-01 ',
  '',
]

const WRONG_TYPES: Json[] = ['x', 1.5, 7, true, null, [], {}, [1, 'a'], { k: 'v' }]
const PATTERN_BREAKERS = ['', ' ', "'", '-x', 'a b', '../x', '\u0000', 'æ', '1', 'a']

/** The ways `schema` can be broken at this level; each value below is invalid against it. */
function localViolations(schema: Schema): Json[] {
  const out: Json[] = []
  const types = typesOf(schema)
  if (types) out.push(...WRONG_TYPES.filter((v) => !fits(types, v)))
  if (schema.enum) out.push(`not-${String(schema.enum[0])}`)
  if (schema.maxLength !== undefined) out.push('y'.repeat(schema.maxLength + 1))
  if (schema.minLength !== undefined && schema.minLength > 0) {
    out.push('z'.repeat(schema.minLength - 1))
  }
  if (schema.pattern) {
    const re = new RegExp(schema.pattern, 'u')
    out.push(...PATTERN_BREAKERS.filter((s) => !re.test(s)))
  }
  if (schema.format && DATE_FORMATS.includes(schema.format)) out.push(...IMPOSSIBLE_DATES)
  if (schema.minimum !== undefined) out.push(schema.minimum - 1)
  if (schema.maximum !== undefined) out.push(schema.maximum + 1)
  if (schema.maxItems !== undefined)
    out.push(Array(schema.maxItems + 1).fill(sample(schema.items ?? {})))
  if (schema.properties) {
    const base = sample(schema) as Record<string, Json>
    if (schema.additionalProperties === false) out.push({ ...base, unexpectedField: 1 })
    for (const key of schema.required ?? []) {
      const { [key]: _gone, ...rest } = base
      out.push(rest)
    }
    if (schema.minProperties) out.push({})
  }
  return out
}

/** An invalid value for `schema`, chosen by `choices`: broken here or in a nested field. */
export function violate(schema: Schema, choices: number[], depth = 0): Json | typeof NONE {
  const [pick = 0, ...rest] = choices
  if (depth < 3 && rest.length > 0 && pick % 2 === 0) {
    const keys = Object.keys(schema.properties ?? {})
    if (keys.length > 0) {
      const key = keys[(rest[0] ?? 0) % keys.length] ?? ''
      const inner = violate(schema.properties?.[key] ?? {}, rest.slice(1), depth + 1)
      if (inner !== NONE) return { ...(sample(schema) as Record<string, Json>), [key]: inner }
    }
    if (schema.items) {
      const inner = violate(schema.items, rest, depth + 1)
      if (inner !== NONE) return [inner]
    }
  }
  const options = localViolations(schema)
  return options.length === 0 ? NONE : (options[pick % options.length] ?? NONE)
}

export interface BadRequest {
  method: RouteSpec['method']
  url: string
  headers: Record<string, string>
  payload?: string
  /** What makes it invalid, for the failure message. */
  why: string
}

export interface Callers {
  /** Authorization headers of signed-in people (valid tokens). */
  signedIn: Record<string, string>[]
  /** A real token with a changed signature. */
  forged: string
}

const OVERSIZED = JSON.stringify({ filler: 'x'.repeat(2 * 1024 * 1024 + 1024) })

/**
 * Requests `route` must refuse with a 4xx: each carries at least one fault the route checks.
 * Null for a public route without inputs (there is nothing to get wrong).
 */
export function badRequests(route: RouteSpec, callers: Callers): fc.Arbitrary<BadRequest> | null {
  const valid = (p: Parameter) => String(sample(p.schema))
  const baseUrl = (params: Record<string, string>) =>
    route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? 'x'))
  const goodParams = Object.fromEntries(route.params.map((p) => [p.name, valid(p)]))
  const goodQuery = Object.fromEntries(
    route.query.filter((q) => q.required).map((q) => [q.name, valid(q)]),
  )
  const url = (params = goodParams, query: Record<string, string> = goodQuery) => {
    const qs = new URLSearchParams(query).toString()
    return `${baseUrl(params)}${qs ? `?${qs}` : ''}`
  }
  const json = { 'content-type': 'application/json' }
  // Mostly the right protocol, so the sync routes get as far as checking the body.
  const protocol = fc.oneof(
    { arbitrary: fc.constant('1'), weight: 4 },
    { arbitrary: fc.constantFrom('0', '2', 'x', ''), weight: 1 },
  )
  const anyCaller = fc.constantFrom<Record<string, string>>(
    {},
    { authorization: `Bearer ${callers.forged}` },
    ...callers.signedIn,
  )
  const body = route.body ? JSON.stringify(sample(route.body)) : undefined
  const faults: fc.Arbitrary<BadRequest>[] = []

  if (!isPublic(route)) {
    const noToken = fc.constantFrom<Record<string, string>>(
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer x.y' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
      { authorization: `Bearer ${callers.forged}` },
      { authorization: `bearer ${callers.forged.toUpperCase()}` },
    )
    faults.push(
      fc.tuple(noToken, protocol).map(([auth, version]) => ({
        method: route.method,
        url: url(),
        headers: { ...auth, 'x-linja-protocol': version, ...(body ? json : {}) },
        ...(body !== undefined ? { payload: body } : {}),
        why: `no valid token (${auth.authorization ?? 'none'})`,
      })),
    )
  }
  if (hasBody(route)) {
    const broken = fc
      .oneof(
        fc.constantFrom('{', '{"a":', '[1,', 'nul', '{"a":1}}', '"\\u12"', "{'a':1}"),
        fc.string({ minLength: 1, maxLength: 40 }).map((s) => `{${s}`),
      )
      .map((payload) => ({ payload, headers: json, why: 'broken JSON' }))
    const oversized = fc.constant({ payload: OVERSIZED, headers: json, why: 'oversized body' })
    // text/plain is parsed (as a string) by Fastify, so only a route with a body schema refuses it.
    const types = ['application/xml', 'multipart/form-data; boundary=x']
    if (route.body) types.push('text/plain')
    const wrongType = fc
      .tuple(fc.constantFrom(...types), fc.string({ maxLength: 40 }))
      .map(([type, text]) => ({
        payload: body ?? text,
        headers: { 'content-type': type },
        why: `content type ${type}`,
      }))
    faults.push(
      fc.tuple(fc.oneof(broken, oversized, wrongType), anyCaller, protocol).map(([f, who, v]) => ({
        method: route.method,
        url: url(),
        headers: { ...who, ...f.headers, 'x-linja-protocol': v },
        payload: f.payload,
        why: f.why,
      })),
    )
  }
  const bodySchema = route.body
  if (bodySchema && Object.keys(bodySchema).length === 0) {
    // The handler validates this body (a text pack): random JSON is never a valid pack.
    faults.push(
      fc.tuple(fc.jsonValue({ maxDepth: 3 }), anyCaller).map(([value, who]) => ({
        method: route.method,
        url: url(),
        headers: { ...who, ...json, 'x-linja-protocol': '1' },
        payload: JSON.stringify(value),
        why: 'not a text pack',
      })),
    )
  } else if (bodySchema) {
    faults.push(
      fc
        .tuple(fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }), anyCaller, protocol)
        .map(([choices, who, v]) => ({ bad: violate(bodySchema, choices), who, v }))
        .filter((x) => x.bad !== NONE)
        .map(({ bad, who, v }) => ({
          method: route.method,
          url: url(),
          headers: { ...who, ...json, 'x-linja-protocol': v },
          payload: JSON.stringify(bad),
          why: `body breaks its schema: ${JSON.stringify(bad).slice(0, 120)}`,
        })),
    )
  }
  /** Values a path or query parameter must refuse (query strings carry strings only). */
  const refusedValues = (p: Parameter, where: 'path' | 'query') =>
    localViolations(p.schema).filter(
      // An empty path segment is another URL, not a bad parameter.
      (x): x is string => typeof x === 'string' && (where === 'query' || x !== ''),
    )
  const parameterFault = (list: Parameter[], where: 'path' | 'query') =>
    fc.tuple(fc.nat(list.length - 1), fc.nat(50), anyCaller, protocol).map(([i, pick, who, v]) => {
      const p = list[i] as Parameter
      const options = refusedValues(p, where)
      const omit =
        where === 'query' && p.required === true && (options.length === 0 || pick % 3 === 0)
      const bad = options[pick % options.length] ?? ''
      const params = where === 'path' ? { ...goodParams, [p.name]: bad } : goodParams
      const query: Record<string, string> = { ...goodQuery }
      if (omit) delete query[p.name]
      else if (where === 'query') query[p.name] = bad
      return {
        method: route.method,
        url: url(params, query),
        headers: { ...who, 'x-linja-protocol': v, ...(body ? json : {}) },
        ...(body !== undefined ? { payload: body } : {}),
        why: omit ? `${p.name} missing` : `${where} ${p.name}=${JSON.stringify(bad)}`,
      }
    })
  const checkedParams = route.params.filter((p) => refusedValues(p, 'path').length > 0)
  if (checkedParams.length > 0) faults.push(parameterFault(checkedParams, 'path'))
  const checkedQuery = route.query.filter(
    (q) => q.required === true || refusedValues(q, 'query').length > 0,
  )
  if (checkedQuery.length > 0) faults.push(parameterFault(checkedQuery, 'query'))
  if (faults.length === 0) return null
  return fc.oneof(...faults)
}
