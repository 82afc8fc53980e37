// Serves the built PWA: hashed assets cached for a year, the shell and service worker never cached, app routes fall back to index.html.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { Refusal } from '../refusal.ts'

const NO_CACHE =
  /(^|\/)(index\.html|sw\.js|registerSW\.js|workbox-[\w-]+\.js|manifest\.webmanifest)$/

export async function staticApp(app: FastifyInstance, opts: { staticDir: string }): Promise<void> {
  const indexPath = join(opts.staticDir, 'index.html')
  const hasBuild = existsSync(indexPath)
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: opts.staticDir,
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders(res, path) {
        if (NO_CACHE.test(path)) {
          res.setHeader('Cache-Control', 'no-cache')
        } else if (path.includes('/assets/')) {
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable')
        } else {
          res.setHeader('Cache-Control', 'public, max-age=3600')
        }
      },
    })
  } else {
    app.log.warn(`No built app at ${opts.staticDir}: run "npm run build". Serving the API only.`)
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !path.startsWith('/api/') &&
      !/\.[a-z0-9]+$/i.test(path) &&
      (request.headers.accept ?? '').includes('text/html')
    if (hasBuild && wantsPage) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html')
    }
    throw new Refusal(404, 'not_found', `No route for ${request.method} ${path}`)
  })
}
