import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serverFor, type TestServer } from './support/backends.ts'

// The organisation routes of issue 7: each must be in the OpenAPI document with its schemas.
const ROUTES: [string, string][] = [
  ['post', '/api/admin/people/{id}/reactivate'],
  ['post', '/api/admin/people/{id}/password'],
  ['patch', '/api/admin/people/{id}'],
  ['post', '/api/admin/supervision/remove'],
  ['post', '/api/admin/people/{id}/handover'],
  ['patch', '/api/admin/units/{id}'],
  ['get', '/api/admin/audit'],
  ['get', '/api/admin/settings'],
  ['put', '/api/admin/settings'],
  ['post', '/api/admin/settings/fit-trajectory'],
  ['get', '/api/admin/settings/report-facts'],
  ['get', '/api/settings'],
  ['post', '/api/admin/text-packs'],
  ['get', '/api/admin/text-packs'],
  ['get', '/api/text-packs/active'],
  ['get', '/api/supervision/supervisees'],
  ['get', '/api/supervision/clients/{clientId}'],
  ['get', '/api/supervision/supervisees/{id}/aggregates'],
  ['get', '/api/reports'],
  ['get', '/api/reports.csv'],
  ['get', '/api/reports/compare'],
  ['get', '/api/admin/directory-groups'],
  ['post', '/api/admin/directory-groups'],
  ['delete', '/api/admin/directory-groups/{id}'],
  ['get', '/api/clients/{clientId}/access-log'],
  ['get', '/api/clients/{clientId}/access-log.csv'],
  ['post', '/api/admin/access-log/find'],
  ['post', '/api/auth/oidc/start'],
  ['get', '/api/auth/oidc/callback'],
  ['post', '/api/auth/oidc/exchange'],
]

describe('OpenAPI', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await serverFor('sqlite')
    await server.app.ready()
  })
  afterAll(async () => {
    await server.close()
  })

  it('documents every organisation route with its responses', () => {
    const doc = server.app.swagger() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>
    }
    for (const [method, path] of ROUTES) {
      const op = doc.paths[path]?.[method]
      expect(op, `${method} ${path}`).toBeDefined()
      expect(Object.keys(op?.responses ?? {}), `${method} ${path}`).toContain('403')
    }
    // The innsynslogg can be read, never changed.
    expect(Object.keys(doc.paths['/api/clients/{clientId}/access-log'] ?? {})).toEqual(['get'])
    expect(doc.paths['/api/admin/audit']?.get).toMatchObject({
      parameters: expect.arrayContaining([expect.objectContaining({ name: 'action' })]),
    })
  })

  it('issue 16: documents the access-request and SCIM routes with their request and answer schemas', () => {
    type Op = {
      requestBody?: unknown
      responses?: Record<string, { content?: Record<string, unknown> }>
    }
    const doc = server.app.swagger() as { paths: Record<string, Record<string, Op>> }
    const routes: [string, string, string][] = [
      ['get', '/api/access-requests', '200'],
      ['post', '/api/access-requests', '201'],
      ['get', '/api/admin/access-requests', '200'],
      ['post', '/api/admin/access-requests/{id}/approve', '200'],
      ['post', '/api/admin/access-requests/{id}/refuse', '200'],
      ['post', '/scim/v2/Users', '201'],
      ['get', '/scim/v2/Users', '200'],
      ['get', '/scim/v2/Users/{id}', '200'],
      ['put', '/scim/v2/Users/{id}', '200'],
      ['patch', '/scim/v2/Users/{id}', '200'],
      ['post', '/scim/v2/Groups', '201'],
      ['get', '/scim/v2/Groups', '200'],
      ['get', '/scim/v2/Groups/{id}', '200'],
      ['patch', '/scim/v2/Groups/{id}', '204'],
      ['delete', '/scim/v2/Groups/{id}', '204'],
      ['get', '/scim/v2/ServiceProviderConfig', '200'],
    ]
    for (const [method, path, ok] of routes) {
      const op = doc.paths[path]?.[method]
      expect(op, `${method} ${path}`).toBeDefined()
      expect(Object.keys(op?.responses ?? {}), `${method} ${path}`).toContain(ok)
      expect(Object.keys(op?.responses ?? {}), `${method} ${path}`).toContain('401')
      if (method === 'post' || method === 'put' || method === 'patch')
        if (!path.endsWith('/refuse')) expect(op?.requestBody, `${method} ${path}`).toBeDefined()
    }
  })

  it('describes every report figure in the answers of reports, compare and supervision', () => {
    type Schema = { properties?: Record<string, Schema>; items?: Schema }
    const doc = server.app.swagger() as unknown as {
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }
        >
      >
    }
    const answer = (path: string) =>
      doc.paths[path]?.get?.responses['200']?.content?.['application/json']?.schema
    const inRows = (path: string) => answer(path)?.properties?.rows?.items?.properties?.aggregates
    for (const aggregates of [
      inRows('/api/reports'),
      inRows('/api/reports/compare'),
      answer('/api/supervision/supervisees/{id}/aggregates')?.properties?.aggregates,
    ]) {
      expect(Object.keys(aggregates?.properties ?? {})).toContain('closedOutcomes')
      expect(Object.keys(aggregates?.properties?.effectSize?.properties ?? {})).toEqual(['prePost'])
      expect(
        Object.keys(aggregates?.properties?.clients?.properties?.young?.properties ?? {}),
      ).toEqual(['value', 'n', 'clients', 'suppressed'])
    }
  })
})
