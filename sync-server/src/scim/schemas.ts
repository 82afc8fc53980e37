// SCIM 2.0 resources and messages (RFC 7643/7644) as TypeBox schemas: what Entra ID's provisioning service sends and reads.
import { Type } from 'typebox'
import { CLOSED, NO_NUL } from '../routes/schemas.ts'

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  config: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const

/** The scimType words of RFC 7644 §3.12 this endpoint answers with. */
export const SCIM_TYPES = [
  'invalidFilter',
  'uniqueness',
  'invalidSyntax',
  'invalidPath',
  'invalidValue',
  'noTarget',
  'mutability',
] as const

const Str = (max: number) => Type.String({ maxLength: max, pattern: NO_NUL })
/** Entra ID has sent `"False"` for false (its documented quirk before the 2020 fix): both are taken. */
export const ScimBoolean = Type.Union([
  Type.Boolean(),
  Type.String({ pattern: '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$' }),
])

const NameIn = Type.Object(
  {
    formatted: Type.Optional(Str(200)),
    givenName: Type.Optional(Str(100)),
    familyName: Type.Optional(Str(100)),
  },
  { additionalProperties: true },
)
const EmailIn = Type.Object(
  {
    value: Str(254),
    type: Type.Optional(Str(40)),
    primary: Type.Optional(ScimBoolean),
  },
  { additionalProperties: true },
)

/** A User as POSTed or PUT; attributes Linja does not keep (enterprise extension, roles, meta) are accepted and ignored. */
export const UserBody = Type.Object(
  {
    schemas: Type.Optional(Type.Array(Str(200), { maxItems: 10 })),
    userName: Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL }),
    externalId: Type.Optional(Type.Union([Str(256), Type.Null()])),
    displayName: Type.Optional(Type.Union([Str(200), Type.Null()])),
    active: Type.Optional(ScimBoolean),
    name: Type.Optional(NameIn),
    emails: Type.Optional(Type.Array(EmailIn, { maxItems: 20 })),
  },
  { additionalProperties: true },
)

const MemberRef = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL }) },
  { additionalProperties: true },
)

export const GroupBody = Type.Object(
  {
    schemas: Type.Optional(Type.Array(Str(200), { maxItems: 10 })),
    displayName: Type.String({ minLength: 1, maxLength: 256, pattern: NO_NUL }),
    externalId: Type.Optional(Type.Union([Str(256), Type.Null()])),
    members: Type.Optional(Type.Array(MemberRef, { maxItems: 10_000 })),
  },
  { additionalProperties: true },
)

/** A PATCH request; the operations' own shapes are checked in patch.ts, with SCIM's error words. */
export const PatchBody = Type.Object(
  {
    schemas: Type.Array(Str(200), { maxItems: 10 }),
    Operations: Type.Array(
      Type.Object(
        {
          op: Type.String({ minLength: 1, maxLength: 20 }),
          path: Type.Optional(Str(500)),
          value: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: true },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: true },
)

const Meta = Type.Object(
  {
    resourceType: Type.String(),
    created: Type.String(),
    lastModified: Type.String(),
    location: Type.String(),
  },
  CLOSED,
)

export const UserResource = Type.Object(
  {
    schemas: Type.Array(Type.String()),
    id: Type.String(),
    externalId: Type.Optional(Type.String()),
    userName: Type.String(),
    displayName: Type.String(),
    name: Type.Object(
      {
        formatted: Type.String(),
        givenName: Type.Optional(Type.String()),
        familyName: Type.Optional(Type.String()),
      },
      CLOSED,
    ),
    active: Type.Boolean(),
    emails: Type.Array(
      Type.Object({ value: Type.String(), type: Type.String(), primary: Type.Boolean() }, CLOSED),
    ),
    meta: Meta,
  },
  CLOSED,
)

export const GroupResource = Type.Object(
  {
    schemas: Type.Array(Type.String()),
    id: Type.String(),
    externalId: Type.Optional(Type.String()),
    displayName: Type.String(),
    members: Type.Optional(
      Type.Array(Type.Object({ value: Type.String(), display: Type.String() }, CLOSED)),
    ),
    meta: Meta,
  },
  CLOSED,
)

export const ListOf = <T extends ReturnType<typeof Type.Object>>(resource: T) =>
  Type.Object(
    {
      schemas: Type.Array(Type.String()),
      totalResults: Type.Integer(),
      startIndex: Type.Integer(),
      itemsPerPage: Type.Integer(),
      Resources: Type.Array(resource),
    },
    CLOSED,
  )

export const ListQuery = Type.Object(
  {
    filter: Type.Optional(Type.String({ maxLength: 500 })),
    startIndex: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
    count: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
    attributes: Type.Optional(Type.String({ maxLength: 500 })),
    excludedAttributes: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)

export const ScimError = Type.Object(
  {
    schemas: Type.Array(Type.String()),
    status: Type.String(),
    scimType: Type.Optional(Type.String()),
    detail: Type.String(),
  },
  CLOSED,
)

export const scimErrors = {
  400: ScimError,
  401: ScimError,
  404: ScimError,
  409: ScimError,
  413: ScimError,
} as const

export const ScimIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }) },
  { additionalProperties: false },
)
