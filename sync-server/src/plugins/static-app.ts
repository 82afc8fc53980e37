// Serves the built PWA: hashed assets cached for a year, the shell and service worker never cached, app routes fall back to index.html;
// /r/ is the client's remote-form page (its own entry, dist/r/index.html), never the app's shell.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { Refusal } from '../refusal.ts'

/** The client's remote-form page, built as its own Vite entry. */
const REMOTE_PAGE = 'r/index.html'

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

  const remotePage = existsSync(join(opts.staticDir, REMOTE_PAGE))
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const isGet = request.method === 'GET' || request.method === 'HEAD'
    // The link's token is in the fragment, which the browser keeps across this redirect.
    if (isGet && path === '/r') return reply.redirect('/r/', 308)
    if (isGet && path.startsWith('/r/') && !(remotePage && path === '/r/')) {
      // A client who opens a link must never land in the practitioner's app.
      throw remotePage
        ? new Refusal(404, 'not_found', 'Not found. Open the link exactly as it was sent.')
        : new Refusal(
            404,
            'remote_page_missing',
            'The page for remote forms is not on this server: build the app (npm run build makes dist/r/index.html).',
          )
    }
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
