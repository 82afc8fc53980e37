import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }

/**
 * The PWA plugin links its web manifest into every page; the remote page is not the app and must
 * not offer to install it on a client's phone.
 */
const remotePageWithoutManifest: Plugin = {
  name: 'linja:remote-page-without-manifest',
  apply: 'build',
  enforce: 'post',
  transformIndexHtml: {
    order: 'post',
    handler: (html, ctx) =>
      ctx.path === '/r/index.html' ? html.replace(/\s*<link rel="manifest"[^>]*>/, '') : html,
  },
}

export default defineConfig({
  // index.html lives in src/ so the top level stays as the style guide fixes it.
  root: `${root}src`,
  publicDir: `${root}public`,
  // Sent at sign-in: the administrator sees which version each tablet runs.
  define: { 'import.meta.env.VITE_APP_VERSION': JSON.stringify(version) },
  build: {
    outDir: `${root}dist`,
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
    // dist/.vite/manifest.json: the bundle-size gate (tests/bench/bundle-budget.test.ts) reads
    // which files the entry loads before the app runs.
    manifest: true,
    rolldownOptions: {
      // Two pages: the app, and the client's remote form at /r/ (dist/r/index.html) with its own
      // small bundle (assets/remote-*), which loads nothing of the app.
      input: { index: `${root}src/index.html`, remote: `${root}src/r/index.html` },
    },
  },
  plugins: [
    react(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Linja – KOR/FIT',
        short_name: 'Linja',
        description:
          'Linja samlar ORS og SRS på nettbrett, også utan nett, og viser framgangen for kvar klient.',
        lang: 'nb',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#f6f4ef',
        theme_color: '#1f4e5f',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,webmanifest}'],
        // The remote page is for a client's own phone, never the tablet's offline app: neither
        // precached nor answered by the app's shell.
        globIgnores: ['r/**', 'assets/remote-*'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/r\//],
        cleanupOutdatedCaches: true,
        // The first install controls the open page at once (offline from the first visit);
        // later versions still wait for the practitioner (no skipWaiting).
        clientsClaim: true,
      },
    }),
    remotePageWithoutManifest,
  ],
  server: { proxy: { '/api': 'http://localhost:8080' } },
  test: {
    root,
    // The in-process suites wait on disks and PostgreSQL much of the time: three files at a time keep
    // a 2-core machine busy (vitest's default there is one).
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          root,
          environment: 'node',
          include: ['tests/{core,storage,state,sync,server,lint}/**/*.test.{ts,tsx}'],
          // Test accounts' passwords at a low scrypt cost; the server process keeps full cost.
          setupFiles: ['tests/server/support/cheap-hashing.ts'],
          // A test's own limits stay in the test; this one only keeps a loaded machine (2 cores shared
          // with other work) from failing a test for being slow, which 5 s did.
          testTimeout: 30_000,
        },
      },
      {
        // Gates on the build in dist/ (npm test builds first): the bundle-size budget.
        test: {
          name: 'build',
          root,
          environment: 'node',
          include: ['tests/bench/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          root,
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          // Two files at a time (each a browser and a server process), after the in-process suites.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
