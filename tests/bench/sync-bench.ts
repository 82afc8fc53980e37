// Device sync benchmarks against the real server process over loopback HTTP:
// a device pushing 10,000 forms created offline, a fresh tablet (Chromium) pulling them, the
// server's raw insert rate for the same rows in the same run, and an offline cold start of
// client mode with 4x CPU throttling.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { v7 as uuidv7 } from 'uuid'
import { INSTRUMENTS } from '../../src/core/index.ts'
import { createClient, openLinjaDb, recordTyped } from '../../src/storage/index.ts'
import { createSyncEngine, httpTransport, type SyncTransport } from '../../src/sync/index.ts'
import { secretsKeyFrom } from '../../sync-server/src/auth/secrets-key.ts'
import { openDatabase } from '../../sync-server/src/db/database.ts'
import { migrate } from '../../sync-server/src/db/migrations.ts'
import { ADMIN_PASSWORD, createPractitioner } from '../e2e/support/api.ts'
import { launchChromium, TABLET_PORTRAIT, tabletContext } from '../e2e/support/browser.ts'
import { ClientScreen, ClientsScreen, choosePinIfAsked, LockScreen } from '../e2e/support/pages.ts'
import { startServer } from '../e2e/support/server-process.ts'
import { type BenchFigure, quantile } from './stats.ts'

const CLIENTS = 100
const FORMS_PER_CLIENT = 100
const FORMS = CLIENTS * FORMS_PER_CLIENT
const PASSWORD = 'bench-password-1'

/** Times every push call, so the figure is the push phase alone. */
function timedTransport(inner: SyncTransport, spans: { push: number[] }): SyncTransport {
  return {
    ...inner,
    push: async (token, request) => {
      const t = performance.now()
      try {
        return await inner.push(token, request)
      } finally {
        spans.push.push(performance.now() - t)
      }
    },
  }
}

async function rawInsertRate(rows: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'linja-raw-'))
  const opened = openDatabase({ dataDir: dir, databaseUrl: null })
  try {
    await migrate(opened.db, opened.dialect, secretsKeyFrom(randomBytes(32).toString('base64url')))
    const payload = JSON.stringify({
      items: INSTRUMENTS.ORS.items.map((i) => [i.id, 5.5]),
      total: 22,
    })
    const t = performance.now()
    for (let i = 0; i < rows; i += 500) {
      await opened.db.transaction().execute(async (trx) => {
        const batch = Array.from({ length: Math.min(500, rows - i) }, (_, j) => {
          const id = uuidv7()
          return {
            id,
            entity: 'administration',
            client_id: 'c',
            owner_id: 'o',
            unit_id: null,
            chain_id: id,
            voided: 0,
            superseded_by: null,
            server_seq: i + j + 1,
            payload,
            updated_at: new Date().toISOString(),
          }
        })
        await trx.insertInto('records').values(batch).execute()
      })
    }
    return rows / ((performance.now() - t) / 1000)
  } finally {
    await opened.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function syncBench(): Promise<BenchFigure[]> {
  const server = await startServer({
    LINJA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LINJA_LOGIN_RATE_LIMIT: '100000',
  })
  const browser = await launchChromium()
  try {
    await createPractitioner(server.url, 'bench', PASSWORD)

    // 1. A device (the sync engine on fake-indexeddb in Node) creates 10,000 forms offline, then pushes.
    const db = openLinjaDb('bench-device', { indexedDB: new IDBFactory(), IDBKeyRange })
    const spans = { push: [] as number[] }
    const engine = createSyncEngine({
      db,
      transport: timedTransport(httpTransport(server.url), spans),
    })
    await engine.login('bench', PASSWORD, 'bench device')
    const items = Object.fromEntries(INSTRUMENTS.ORS.items.map((i) => [i.id, 5.5]))
    for (let c = 0; c < CLIENTS; c++) {
      const client = await createClient(db, { code: `P-${c}`, birthYear: 1980 })
      for (let k = 0; k < FORMS_PER_CLIENT; k++) {
        await recordTyped(db, {
          clientId: client.id,
          instrumentId: 'ORS',
          items,
          rater: 'client',
          collectedBy: 'paper',
          markedAt: new Date(Date.UTC(2025, 0, 1) + k * 86_400_000).toISOString(),
          locale: 'nb',
        })
      }
    }
    const t0 = performance.now()
    const status = await engine.syncNow('manual')
    const syncMs = performance.now() - t0
    const pushMs = spans.push.reduce((a, b) => a + b, 0)
    if (status.pending !== 0) throw new Error(`push left ${status.pending} entries`)
    engine.dispose()
    db.close()

    // 2. A fresh tablet (Chromium) signs in and pulls everything.
    const context = await tabletContext(browser, TABLET_PORTRAIT)
    const page = await context.newPage()
    await page.goto(`${server.url}/account`)
    await page.getByLabel('Brukernavn').fill('bench')
    await page.getByLabel('Passord').fill(PASSWORD)
    const t1 = performance.now()
    await page.getByRole('button', { name: 'Logg inn' }).click()
    // Every sign-in ends in the PIN step (the data is sealed with it); the time includes it.
    await page.getByText('Logget inn som').first().waitFor()
    await choosePinIfAsked(page, '2468')
    await page.waitForFunction(
      () => {
        const dd = [...document.querySelectorAll('.sync-facts dd')].map((d) => d.textContent)
        return dd.length > 1 && dd[1] !== 'Aldri'
      },
      undefined,
      { timeout: 300_000, polling: 100 },
    )
    const pullMs = performance.now() - t1
    await page.getByRole('link', { name: 'Klienter' }).first().click()
    await page.waitForFunction(
      (n) => document.querySelectorAll('.client-table tbody tr').length === n,
      CLIENTS,
    )
    await context.close()

    const raw = await rawInsertRate(FORMS)

    // 3. Cold start offline to client mode (behind its PIN screen), 4x CPU throttling.
    const cold: number[] = []
    for (let run = 0; run < 5; run++) {
      const ctx = await tabletContext(browser, TABLET_PORTRAIT)
      const p = await ctx.newPage()
      await p.goto(server.url)
      await p.waitForFunction(() => navigator.serviceWorker?.controller !== null)
      await new ClientsScreen(p).createClient(`COLD-${run}`, 1980)
      await new ClientScreen(p).handOver({ pin: '2468' })
      await p.close()
      await ctx.setOffline(true)
      await ctx.route('**/*', (r) => r.abort('internetdisconnected'))
      const q = await ctx.newPage()
      const cdp = await ctx.newCDPSession(q)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
      await q.goto(server.url, { waitUntil: 'commit' })
      // Client mode after a restart is behind the PIN (the key is only in memory): the time to
      // that PIN screen being usable; the PIN unlock itself is in the encryption section.
      await new LockScreen(q).heading.waitFor()
      await q.getByRole('button', { name: 'Lås opp' }).waitFor()
      cold.push(await q.evaluate(() => performance.now()))
      await ctx.close()
    }

    const perSecond = (n: number, ms: number) => n / (ms / 1000)
    return [
      {
        name: `Device push of ${FORMS.toLocaleString('en')} forms created offline (push calls only; ${CLIENTS} clients and episodes too)`,
        unit: 'records/s',
        value: perSecond(FORMS, pushMs),
        note: `${(pushMs / 1000).toFixed(1)} s of push; whole sync incl. pulling them back ${(syncMs / 1000).toFixed(1)} s; ratio to the server raw insert rate (row below): ${(perSecond(FORMS, pushMs) / raw).toFixed(3)}`,
      },
      {
        name: `Fresh tablet (Chromium) pulling ${FORMS.toLocaleString('en')} forms after sign-in`,
        unit: 'records/s',
        value: perSecond(FORMS, pullMs),
        note: `${(pullMs / 1000).toFixed(1)} s wall time; ratio to the server raw insert rate (row below): ${(perSecond(FORMS, pullMs) / raw).toFixed(3)}`,
      },
      {
        name: 'Server raw insert of the same rows (Kysely, SQLite, transactions of 500)',
        unit: 'records/s',
        value: raw,
        note: 'the floor the two figures above are compared with',
      },
      {
        name: 'Cold start offline to client mode (its PIN screen) ready, 4x CPU throttling',
        unit: 'ms',
        n: cold.length,
        p50: quantile(cold, 0.5),
        p95: quantile(cold, 0.95),
        note: 'navigation start to the Unlock button of the PIN screen (service worker cache, no network)',
      },
    ]
  } finally {
    await browser.close()
    await server.cleanup()
  }
}
