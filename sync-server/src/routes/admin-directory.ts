// Administration of directory access: which provider groups give which Linja role and unit.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import { audit } from '../accounts/audit.ts'
import { addGroupMapping, listGroupMappings } from '../accounts/directory-groups.ts'
import type { AppContext } from '../context.ts'
import { callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { CLOSED, errors, Id, IdParams, RoleSchema } from './schemas.ts'

/** Entra's group object ids are GUIDs; other providers send other words: any printable text. */
const GroupId = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
  description: 'The group id as the provider sends it in the groups claim (Entra: object id)',
})
export const GroupMappingView = Type.Object(
  {
    id: Type.String(),
    groupId: Type.String(),
    role: RoleSchema,
    unitId: Type.Union([Type.String(), Type.Null()]),
  },
  CLOSED,
)
const NewMapping = Type.Object(
  { groupId: GroupId, role: RoleSchema, unitId: Type.Optional(Type.Union([Id, Type.Null()])) },
  { additionalProperties: false },
)
const Ok = Type.Object({ ok: Type.Literal(true) }, CLOSED)
const IdentitySettings = Type.Object(
  {
    oidc: Type.Union([
      Type.Object(
        {
          issuer: Type.String(),
          clientId: Type.String(),
          redirectUri: Type.String(),
          scopes: Type.String(),
          groupsClaim: Type.String(),
          idClaim: Type.String(),
        },
        CLOSED,
      ),
      Type.Null(),
    ]),
  },
  CLOSED,
)

export async function adminDirectoryRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { db } = opts.ctx

  app.get(
    '/api/admin/identity',
    {
      schema: {
        summary: 'The OpenID Connect settings from the environment (read only; never the secret)',
        response: { 200: IdentitySettings, ...errors },
      },
    },
    async () => {
      const oidc = opts.ctx.config.oidc
      return {
        oidc: oidc && {
          issuer: oidc.issuer.href,
          clientId: oidc.clientId,
          redirectUri: oidc.redirectUri,
          scopes: oidc.scopes,
          groupsClaim: oidc.groupsClaim,
          idClaim: oidc.idClaim,
        },
      }
    },
  )

  app.get(
    '/api/admin/directory-groups',
    {
      schema: {
        summary: "Provider groups mapped to Linja roles and units (the directory's access rules)",
        response: { 200: Type.Array(GroupMappingView), ...errors },
      },
    },
    async () => listGroupMappings(db),
  )

  app.post(
    '/api/admin/directory-groups',
    {
      schema: {
        summary: 'Map a provider group to a role (and a unit): its members get them at sign-in',
        body: NewMapping,
        response: { 200: GroupMappingView, 201: GroupMappingView, ...errors },
      },
    },
    async (request: FastifyRequest<{ Body: Static<typeof NewMapping> }>, reply) => {
      const { groupId, role } = request.body
      const unitId = request.body.unitId ?? null
      if (unitId !== null) {
        const unit = await db
          .selectFrom('units')
          .select('retired')
          .where('id', '=', unitId)
          .executeTakeFirst()
        if (!unit || unit.retired === 1)
          throw new Refusal(400, 'unknown_unit', 'Unknown or retired unit id.')
      }
      const { mapping, created } = await addGroupMapping(db, {
        groupId: groupId.trim(),
        role,
        unitId,
      })
      // The same row posted again is answered with the one there, and changes nothing.
      if (!created) return reply.code(200).send(mapping)
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'directory_group_mapped',
        target: mapping.groupId,
        ip: request.ip,
        details: { role, unitId },
      })
      return reply.code(201).send(mapping)
    },
  )

  app.delete(
    '/api/admin/directory-groups/:id',
    {
      schema: {
        summary:
          "Remove a group mapping (people's access follows at their next sign-in or SCIM update)",
        params: IdParams,
        response: { 200: Ok, ...errors },
      },
    },
    async (request: FastifyRequest<{ Params: Static<typeof IdParams> }>) => {
      const row = await db
        .selectFrom('directory_group_roles')
        .selectAll()
        .where('id', '=', request.params.id)
        .executeTakeFirst()
      if (!row) throw new Refusal(404, 'not_found', 'No such group mapping.')
      await db.deleteFrom('directory_group_roles').where('id', '=', row.id).execute()
      await audit(db, {
        actorId: callerOf(request).personId,
        action: 'directory_group_unmapped',
        target: row.group_id,
        ip: request.ip,
        details: { role: row.role, unitId: row.unit_id },
      })
      return { ok: true as const }
    },
  )
}
