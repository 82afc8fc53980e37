// What every SCIM route shares: its place in the API document, who acts (the directory, from an address, now) and a list's paging.
import type { FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import type { AppContext } from '../context.ts'
import { type ListQuery, type ScimIdParams, URN } from './schemas.ts'
import type { ScimActor } from './users.ts'

export type ById<B = unknown> = FastifyRequest<{ Params: Static<typeof ScimIdParams>; Body: B }>
export type ListRequest = FastifyRequest<{ Querystring: Static<typeof ListQuery> }>

/** Tag and security of every SCIM route in the OpenAPI document (guard.ts checks the secret). */
export const SCIM_DOC = { tags: ['scim'], security: [{ bearer: [] }] }

/** The directory acting through one request: the audit log's address and the time of the change. */
export const actorOf = (ctx: AppContext, request: FastifyRequest): ScimActor => ({
  ip: request.ip,
  now: new Date(ctx.now()).toISOString(),
})

/** Paging of a list (RFC 7644 §3.4.2.4: startIndex from 1, count at most maxResults). */
export function page(query: Static<typeof ListQuery>) {
  const startIndex = Math.max(1, Number(query.startIndex ?? '1'))
  const count = Math.min(200, Number(query.count ?? '100'))
  return { startIndex, count }
}

/** One page of the resources found (their ids in order), as a ListResponse. */
export async function listPage<T>(
  ids: readonly string[],
  query: Static<typeof ListQuery>,
  views: (pageIds: string[]) => Promise<T[]>,
) {
  const { startIndex, count } = page(query)
  const resources = await views(ids.slice(startIndex - 1, startIndex - 1 + count))
  return {
    schemas: [URN.list],
    totalResults: ids.length,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  }
}
