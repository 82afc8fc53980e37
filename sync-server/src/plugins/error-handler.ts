// Turns every error into {error, message}: 4xx say what was wrong, 5xx never show internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status >= 500) {
    request.log.error({ err: { type: error.name, code: error.code } }, 'request failed')
    return reply
      .code(status)
      .send({ error: 'internal', message: 'Something went wrong on the server.' })
  }
  const code = error.validation ? 'invalid_request' : (error.code ?? 'bad_request').toLowerCase()
  return reply.code(status).send({ error: code, message: error.message })
}
