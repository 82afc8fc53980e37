// Turns every error into {error, message}: 4xx say what was wrong, 5xx never show internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DATE_RANGE } from '../../../src/core/index.ts'
import { DATE_FORMATS } from '../routes/schemas.ts'
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
  const date = badDate(error)
  if (date) return reply.code(400).send(date)
  const known = error.code ? FASTIFY_CODES[error.code] : undefined
  const code = error.validation
    ? 'invalid_request'
    : (known ?? (error.code ?? 'bad_request').toLowerCase())
  return reply.code(status).send({ error: code, message: error.message })
}

/** A date parameter that is no real date in range: one code, the parameter named. */
function badDate(error: FastifyError) {
  const failed = error.validation?.find(
    (v) => v.keyword === 'format' && String(v.params.format) in DATE_FORMATS,
  )
  if (!failed) return undefined
  const param = failed.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'date'
  return {
    error: 'invalid_date',
    param,
    message: `${param} must be a real date from ${DATE_RANGE.from} to ${DATE_RANGE.to} (YYYY-MM-DD${failed.params.format === 'calendar-date-time' ? ', optionally with a UTC time' : ''}).`,
  }
}
