// Turns every error into {error, message}: 4xx say what was wrong, 5xx never show internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { drainBody } from './drain-body.ts'

/** Codes for Fastify's own refusals, so the app gets one stable word instead of FST_ERR_…. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
}

export async function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status >= 500) {
    request.log.error({ err: { type: error.name, code: error.code } }, 'request failed')
    return reply
      .code(status)
      .send({ error: 'internal', message: 'Something went wrong on the server.' })
  }
  if (status === 413) {
    // Fastify refuses an oversized body as soon as it knows and closes the connection; a client
    // still uploading then gets a reset (EPIPE) instead of this answer. Read the rest first.
    await drainBody(request.raw)
    return reply.code(413).send({
      error: 'too_large',
      message: `The request is larger than the ${+(request.routeOptions.bodyLimit / 1048576).toFixed(1)} MiB this route takes.`,
    })
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined
  const code = error.validation
    ? 'invalid_request'
    : (known ?? (error.code ?? 'bad_request').toLowerCase())
  return reply.code(status).send({ error: code, message: error.message })
}
