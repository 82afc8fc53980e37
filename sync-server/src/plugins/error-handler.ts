// Turns every error into {error, message, ...}: a Refusal as it was thrown, Fastify's own 4xx under a stable word, anything else a 500 that shows no internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DATE_RANGE } from '../../../src/core/index.ts'
import { Refusal } from '../refusal.ts'
import { DATE_FORMATS } from '../routes/schemas.ts'
import { drainBody } from './drain-body.ts'

/** Words for Fastify's own refusals, so the app gets one stable code instead of FST_ERR_…. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
}

export async function errorHandler(
  error: FastifyError | Refusal,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof Refusal) {
    const { statusCode, code, message, extra } = error
    return reply.code(statusCode).send({ ...extra, error: code, message })
  }
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status >= 500) {
    // The name and code say what kind of failure it was; a message may quote data, so it stays out.
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
  const code = error.validation
    ? 'invalid_request'
    : ((error.code && FASTIFY_CODES[error.code]) ?? 'bad_request')
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
