// /scim/v2/Groups: the directory's groups and their members; a membership change gives or takes roles and units (directory_group_roles).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import type { AppContext } from '../context.ts'
import { Refusal } from '../refusal.ts'
import { parseEqFilter } from '../scim/filter.ts'
import { changeGroup, createGroup, deleteGroup, findGroupIds, groupViews } from '../scim/groups.ts'
import { type PatchOperation, patchGroup } from '../scim/patch.ts'
import { actorOf, type ById, type ListRequest, listPage, SCIM_DOC } from '../scim/route-kit.ts'
import {
  GroupBody,
  GroupResource,
  ListOf,
  ListQuery,
  PatchBody,
  ScimIdParams,
  scimErrors,
} from '../scim/schemas.ts'

const ResourceQuery = Type.Object(
  {
    attributes: Type.Optional(Type.String({ maxLength: 500 })),
    excludedAttributes: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)

/** `excludedAttributes=members` (Entra asks so when it only matches a group). */
const withMembers = (query: { excludedAttributes?: string | undefined }) =>
  !(query.excludedAttributes ?? '').split(',').some((a) => a.trim().toLowerCase() === 'members')

export async function scimGroupRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const exists = async (id: string) => {
    const found = await db
      .selectFrom('scim_groups')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst()
    if (!found) throw new Refusal(404, 'not_found', `No group ${id}.`)
  }

  app.post(
    '/Groups',
    {
      schema: {
        summary: 'Provision a directory group (SCIM)',
        ...SCIM_DOC,
        body: GroupBody,
        response: { 201: GroupResource, ...scimErrors },
      },
    },
    async (request: FastifyRequest<{ Body: Static<typeof GroupBody> }>, reply: FastifyReply) => {
      const body = request.body
      const id = await createGroup(
        db,
        {
          displayName: body.displayName,
          externalId: body.externalId ?? null,
          members: (body.members ?? []).map((m) => m.value),
        },
        actorOf(ctx, request),
      )
      const [view] = await groupViews(db, [id], true)
      return reply.code(201).header('location', `/scim/v2/Groups/${id}`).send(view)
    },
  )

  app.get(
    '/Groups',
    {
      schema: {
        summary: 'Find directory groups: filter=displayName eq "…" (or externalId, id)',
        ...SCIM_DOC,
        querystring: ListQuery,
        response: { 200: ListOf(GroupResource), ...scimErrors },
      },
    },
    async (request: ListRequest) => {
      const { filter } = request.query
      const ids = await findGroupIds(
        db,
        filter !== undefined && filter.trim() !== ''
          ? parseEqFilter(filter, ['displayname', 'externalid', 'id'])
          : null,
      )
      return listPage(ids, request.query, (pageIds) =>
        groupViews(db, pageIds, withMembers(request.query)),
      )
    },
  )

  app.get(
    '/Groups/:id',
    {
      schema: {
        summary: 'One directory group with its members (SCIM)',
        ...SCIM_DOC,
        params: ScimIdParams,
        querystring: ResourceQuery,
        response: { 200: GroupResource, ...scimErrors },
      },
    },
    async (
      request: FastifyRequest<{
        Params: Static<typeof ScimIdParams>
        Querystring: Static<typeof ResourceQuery>
      }>,
    ) => {
      const [view] = await groupViews(db, [request.params.id], withMembers(request.query))
      if (!view) throw new Refusal(404, 'not_found', `No group ${request.params.id}.`)
      return view
    },
  )

  app.patch(
    '/Groups/:id',
    {
      schema: {
        summary: 'Change a directory group (SCIM PATCH: add/remove members, displayName)',
        ...SCIM_DOC,
        params: ScimIdParams,
        body: PatchBody,
        response: { 204: Type.Null(), ...scimErrors },
      },
    },
    async (request: ById<Static<typeof PatchBody>>, reply: FastifyReply) => {
      await exists(request.params.id)
      const patch = patchGroup(request.body.Operations as PatchOperation[])
      await changeGroup(db, request.params.id, patch, actorOf(ctx, request))
      return reply.code(204).send()
    },
  )

  app.put(
    '/Groups/:id',
    {
      schema: {
        summary: 'Replace a directory group and its members (SCIM)',
        ...SCIM_DOC,
        params: ScimIdParams,
        body: GroupBody,
        response: { 200: GroupResource, ...scimErrors },
      },
    },
    async (request: ById<Static<typeof GroupBody>>) => {
      await exists(request.params.id)
      const body = request.body
      await changeGroup(
        db,
        request.params.id,
        {
          displayName: body.displayName,
          externalId: body.externalId ?? null,
          replaceMembers: (body.members ?? []).map((m) => m.value),
          addMembers: [],
          removeMembers: [],
          removeAllMembers: false,
        },
        actorOf(ctx, request),
      )
      const [view] = await groupViews(db, [request.params.id], true)
      return view
    },
  )

  app.delete(
    '/Groups/:id',
    {
      schema: {
        summary: 'Remove a directory group: its members lose what it gave',
        ...SCIM_DOC,
        params: ScimIdParams,
        response: { 204: Type.Null(), ...scimErrors },
      },
    },
    async (request: ById, reply: FastifyReply) => {
      await exists(request.params.id)
      await deleteGroup(db, request.params.id, actorOf(ctx, request))
      return reply.code(204).send()
    },
  )
}
