// Helmet with a CSP the built app runs under, login/refresh rate limits, no-store on the API, and the OpenAPI document with its docs page.
import type { IncomingMessage, ServerResponse } from 'node:http'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import helmet from 'helmet'
import { Refusal } from '../refusal.ts'

/** The app: module scripts and stylesheets from its own origin only, no inline code. */
export const APP_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  workerSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
}

/**
 * Helmet's headers for these settings, worked out once: with no nonces and no per-request
 * directives they are the same on every answer, and building them per request (as
 * @fastify/helmet does) cost about 4 % of a push's CPU under load.
 */
export function securityHeaders(): [string, string][] {
  const headers = new Map<string, string>()
  const response = {
    setHeader: (name: string, value: string | number) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  }
  helmet({
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP },
    crossOriginEmbedderPolicy: false,
  })({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error
  })
  return [...headers]
}

export async function security(app: FastifyInstance): Promise<void> {
  const headers = securityHeaders()
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value)
    done()
  })
  // Limits only where a route asks for one (config.rateLimit): login, refresh, password.
  // The plugin throws what the builder returns, so it is a Refusal like any other (a plain
  // object came out as `bad_request`). Retry-After says when.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new Refusal(
        context.statusCode,
        'rate_limited',
        `Too many requests: try again in ${context.after}.`,
      ),
  })
  // Answers about people and health data must not stay in a browser's or a proxy's cache.
  // A callback hook: an async one costs a promise on every answer.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store')
    done(null, payload)
  })
  await app.register(swagger, {
    openapi: {
      info: { title: 'Linja sync server', version: '1' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
  })
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    // swagger-ui needs an inline style and script; this CSP applies to /api/docs only.
    staticCSP: false,
    transformStaticCSP: undefined,
    uiHooks: {
      onRequest: (_request, reply, done) => {
        reply.header(
          'content-security-policy',
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        )
        done()
      },
    },
  })
}
