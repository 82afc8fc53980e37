// The benchmark's bulk seed stands for the push: the same organisation seeded both ways reports the same figures.
import { afterEach, describe, expect, it } from 'vitest'
import {
  appOn,
  type Backend,
  backends,
  createTestDatabase,
  type TestDatabase,
  type TestServer,
} from '../server/support/backends.ts'
import { MONTH_REPORT } from './report-bench.ts'
import { seedOrganisationBulk } from './seed-bulk.ts'
import { type SeededOrg, seedOrganisation } from './seed-org.ts'

const FORMS = 2_000
const open: { server: TestServer; database: TestDatabase }[] = []

afterEach(async () => {
  for (const { server, database } of open.splice(0)) {
    await server.close()
    await database.drop()
  }
})

async function seeded(
  backend: Backend,
  seed: (server: TestServer, database: TestDatabase) => Promise<SeededOrg>,
) {
  const database = await createTestDatabase(backend)
  const server = await appOn(database, { LINJA_LOGIN_RATE_LIMIT: '100000' })
  open.push({ server, database })
  const org = await seed(server, database)
  const get = async (url: string, headers: Record<string, string>) => {
    const res = await server.app.inject({ method: 'GET', url, headers })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<unknown>()
  }
  return {
    org,
    month: await get(MONTH_REPORT, org.admin.headers),
    compare: await get('/api/reports/compare?period=year&at=2025-01-01', org.admin.headers),
  }
}

describe.each(backends())('bulk seed of the report benchmark (%s)', (backend) => {
  it('reports exactly what the same organisation pushed by its tablets reports', async () => {
    const pushed = await seeded(backend, (s) => seedOrganisation(s.app, FORMS))
    const bulk = await seeded(backend, (s, d) => seedOrganisationBulk(s.app, d, FORMS))
    expect(bulk.org.records).toBe(pushed.org.records)
    expect(bulk.org.closed).toBe(pushed.org.closed)
    // Unit ids differ between the two databases; the compare rows are matched by name.
    const named = (body: unknown) =>
      (body as { rows: { unitId: string | null }[] }).rows.map(({ unitId: _, ...row }) => row)
    expect(bulk.month).toEqual(pushed.month)
    expect(named(bulk.compare)).toEqual(named(pushed.compare))
  }, 120_000)
})
