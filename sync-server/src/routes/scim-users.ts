// /scim/v2/Users: create, read, find by userName/externalId, replace, PATCH (Entra's shapes) and delete directory people.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import type { AppContext } from '../context.ts'
import { Refusal } from '../refusal.ts'
import { parseEqFilter } from '../scim/filter.ts'
import { type PatchOperation, patchUser, scimBoolean, workEmail } from '../scim/patch.ts'
import { actorOf, type ById, type ListRequest, listPage, SCIM_DOC } from '../scim/route-kit.ts'
import {
  ListOf,
  ListQuery,
  PatchBody,
  ScimIdParams,
  scimErrors,
  UserBody,
  UserResource,
} from '../scim/schemas.ts'
import {
  createUser,
  deleteUser,
  findUserIds,
  readUser,
  type UserState,
  updateUser,
  userState,
  userViews,
} from '../scim/users.ts'

type Body = Static<typeof UserBody>

/** A POST or PUT body as the state Linja keeps. */
function stateFrom(body: Body): UserState {
  return {
    userName: body.userName,
    externalId: body.externalId ?? null,
    displayName: body.displayName ?? null,
    givenName: body.name?.givenName ?? null,
    familyName: body.name?.familyName ?? null,
    formatted: body.name?.formatted ?? null,
    email: body.emails ? workEmail(body.emails) : null,
    active: body.active === undefined ? true : scimBoolean(body.active, 'active'),
  }
}

export async function scimUserRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const existing = async (id: string) => {
    const state = await userState(db, id)
    if (!state) throw new Refusal(404, 'not_found', `No user ${id}.`)
    return state
  }

  app.post(
    '/Users',
    {
      schema: {
        summary: 'Provision a directory person (SCIM)',
        ...SCIM_DOC,
        body: UserBody,
        response: { 201: UserResource, ...scimErrors },
      },
    },
    async (request: FastifyRequest<{ Body: Body }>, reply: FastifyReply) => {
      const id = await createUser(db, stateFrom(request.body), actorOf(ctx, request))
      return reply
        .code(201)
        .header('location', `/scim/v2/Users/${id}`)
        .send(await readUser(db, id))
    },
  )

  app.get(
    '/Users',
    {
      schema: {
        summary: 'Find directory people: filter=userName eq "…" (or externalId, id, displayName)',
        ...SCIM_DOC,
        querystring: ListQuery,
        response: { 200: ListOf(UserResource), ...scimErrors },
      },
    },
    async (request: ListRequest) => {
      const { filter } = request.query
      const ids = await findUserIds(
        db,
        filter !== undefined && filter.trim() !== ''
          ? parseEqFilter(filter, ['username', 'externalid', 'id', 'displayname'])
          : null,
      )
      return listPage(ids, request.query, (pageIds) => userViews(db, pageIds))
    },
  )

  app.get(
    '/Users/:id',
    {
      schema: {
        summary: 'One directory person (SCIM)',
        ...SCIM_DOC,
        params: ScimIdParams,
        response: { 200: UserResource, ...scimErrors },
      },
    },
    async (request: ById) => {
      const user = await readUser(db, request.params.id)
      if (!user) throw new Refusal(404, 'not_found', `No user ${request.params.id}.`)
      return user
    },
  )

  app.put(
    '/Users/:id',
    {
      schema: {
        summary: 'Replace a directory person (SCIM)',
        ...SCIM_DOC,
        params: ScimIdParams,
        body: UserBody,
        response: { 200: UserResource, ...scimErrors },
      },
    },
    async (request: ById<Body>) => {
      await existing(request.params.id)
      await updateUser(db, request.params.id, stateFrom(request.body), actorOf(ctx, request))
      return readUser(db, request.params.id)
    },
  )

  app.patch(
    '/Users/:id',
    {
      schema: {
        summary: 'Change a directory person (SCIM PATCH: active, displayName, emails, name…)',
        ...SCIM_DOC,
        params: ScimIdParams,
        body: PatchBody,
        response: { 200: UserResource, ...scimErrors },
      },
    },
    async (request: ById<Static<typeof PatchBody>>) => {
      const before = await existing(request.params.id)
      const after = patchUser(before, request.body.Operations as PatchOperation[])
      await updateUser(db, request.params.id, after, actorOf(ctx, request))
      return readUser(db, request.params.id)
    },
  )

  app.delete(
    '/Users/:id',
    {
      schema: {
        summary: 'Deprovision a directory person: access ends, the account stays for its records',
        ...SCIM_DOC,
        params: ScimIdParams,
        response: { 204: Type.Null(), ...scimErrors },
      },
    },
    async (request: ById, reply: FastifyReply) => {
      await existing(request.params.id)
      await deleteUser(db, request.params.id, actorOf(ctx, request))
      return reply.code(204).send()
    },
  )
}
