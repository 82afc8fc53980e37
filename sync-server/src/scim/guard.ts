// The SCIM endpoint's own bearer secret (LINJA_SCIM_TOKEN), its error shape and media type: nothing else in Linja accepts the one, and SCIM accepts nothing else.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Refusal } from '../refusal.ts'
import { SCIM_TYPES, URN } from './schemas.ts'

/** Compares digests, so neither the length nor the first differing byte shows in the time taken. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

export const SCIM_MEDIA_TYPE = 'application/scim+json'

function scimError(reply: FastifyReply, status: number, detail: string, scimType?: string) {
  return reply
    .code(status)
    .type(SCIM_MEDIA_TYPE)
    .send({
      schemas: [URN.error],
      status: String(status),
      ...(scimType !== undefined ? { scimType } : {}),
      detail,
    })
}

/** Sets up one encapsulated scope: the secret checked before anything else, SCIM's error shape, SCIM's media type. */
export function guardScim(app: FastifyInstance, token: string | null): void {
  // Entra sends bodies as application/scim+json; they are JSON.
  const json = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser(SCIM_MEDIA_TYPE, { parseAs: 'string' }, (request, body, done) =>
    // A DELETE may name the media type without sending a body.
    body.length === 0 ? done(null, undefined) : json(request, body.toString(), done),
  )
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (token === null)
      throw new Refusal(
        404,
        'not_found',
        'SCIM provisioning is off on this server: the administrator sets LINJA_SCIM_TOKEN to turn it on.',
      )
    const header = request.headers.authorization ?? ''
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match?.[1] || !sameSecret(match[1], token))
      throw new Refusal(401, 'unauthorised', 'A valid SCIM bearer token is required.')
  })
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store')
    const type = String(reply.getHeader('content-type') ?? '')
    if (type.startsWith('application/json')) reply.type(`${SCIM_MEDIA_TYPE}; charset=utf-8`)
    return payload
  })
  app.setErrorHandler(async (error: FastifyError | Refusal, request, reply) => {
    if (error instanceof Refusal) {
      const scimType = (SCIM_TYPES as readonly string[]).includes(error.code)
        ? error.code
        : undefined
      return scimError(reply, error.statusCode, error.message, scimType)
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    if (status >= 500) {
      request.log.error({ err: { type: error.name, code: error.code } }, 'SCIM request failed')
      return scimError(reply, 500, 'Something went wrong on the server.')
    }
    if (error.validation) return scimError(reply, 400, error.message, 'invalidValue')
    return scimError(reply, status, error.message, status === 400 ? 'invalidSyntax' : undefined)
  })
  app.setNotFoundHandler((request, reply) =>
    scimError(reply, 404, `No SCIM resource at ${request.method} ${request.url.split('?')[0]}`),
  )
}
