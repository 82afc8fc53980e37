// SCIM 2.0 (RFC 7643/7644), registered under the prefix /scim/v2 for the municipality's directory (Entra ID provisioning): Users, Groups and the discovery resources.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { AppContext } from '../context.ts'
import { guardScim } from '../scim/guard.ts'
import { SCIM_DOC } from '../scim/route-kit.ts'
import { ScimError, URN } from '../scim/schemas.ts'
import { scimGroupRoutes } from './scim-groups.ts'
import { scimUserRoutes } from './scim-users.ts'

const Discovery = Type.Object({}, { additionalProperties: true })

const CONFIG = {
  schemas: [URN.config],
  documentationUri: '/api/docs',
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: 200 },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'Bearer token',
      description: 'The secret in LINJA_SCIM_TOKEN, sent as Authorization: Bearer <secret>.',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: '/scim/v2/ServiceProviderConfig' },
}

const RESOURCE_TYPES = [
  { id: 'User', name: 'User', endpoint: '/Users', schema: URN.user },
  { id: 'Group', name: 'Group', endpoint: '/Groups', schema: URN.group },
].map((t) => ({
  schemas: [URN.resourceType],
  ...t,
  meta: { resourceType: 'ResourceType', location: `/scim/v2/ResourceTypes/${t.id}` },
}))

const attribute = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
})

const SCHEMAS = [
  {
    id: URN.user,
    name: 'User',
    attributes: [
      attribute('userName', 'string', { required: true, uniqueness: 'server' }),
      attribute('externalId', 'string', { caseExact: true }),
      attribute('displayName', 'string'),
      attribute('name', 'complex', {
        subAttributes: ['formatted', 'givenName', 'familyName'].map((n) => attribute(n, 'string')),
      }),
      attribute('active', 'boolean'),
      attribute('emails', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string'), attribute('type', 'string')],
      }),
    ],
  },
  {
    id: URN.group,
    name: 'Group',
    attributes: [
      attribute('displayName', 'string', { required: true }),
      attribute('externalId', 'string', { caseExact: true }),
      attribute('members', 'complex', {
        multiValued: true,
        subAttributes: [attribute('value', 'string', { mutability: 'immutable' })],
      }),
    ],
  },
].map((s) => ({
  schemas: [URN.schema],
  ...s,
  meta: { resourceType: 'Schema', location: `/scim/v2/Schemas/${s.id}` },
}))

const list = (resources: unknown[]) => ({
  schemas: [URN.list],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
})

export async function scimRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  guardScim(app, opts.ctx.config.scimToken)
  const doc = (summary: string) => ({
    summary,
    ...SCIM_DOC,
    response: { 200: Discovery, 401: ScimError, 404: ScimError },
  })
  app.get(
    '/ServiceProviderConfig',
    { schema: doc('What this SCIM endpoint supports') },
    async () => CONFIG,
  )
  app.get('/ResourceTypes', { schema: doc('SCIM resource types') }, async () =>
    list(RESOURCE_TYPES),
  )
  app.get('/Schemas', { schema: doc('SCIM schemas: the attributes Linja keeps') }, async () =>
    list(SCHEMAS),
  )
  await scimUserRoutes(app, opts)
  await scimGroupRoutes(app, opts)
}
