// Builds a fictional organisation (units, practitioners, one client per episode, ORS+SRS or CORS+CSRS
// sessions, some episodes closed) and stores it through the admin API and the real push route.
import type { FastifyInstance } from 'fastify'
import { v7 as uuidv7 } from 'uuid'
import {
  type AgeGroup,
  type Ending,
  INSTRUMENTS,
  type InstrumentId,
  roundScore,
  totalScore,
} from '../../src/core/index.ts'
import { finalForm } from '../../src/core/record-builders.ts'
import type { TestOperation } from '../server/support/ops.ts'
import { Device } from '../server/support/ops.ts'
import { login, PASSWORD, type Session } from '../server/support/world.ts'
import { cpuMsSince } from './stats.ts'

/** Forms per episode on average: 10 sessions of an outcome and a session rating form. */
export const FORMS_PER_EPISODE = 20
const CLIENTS_PER_PRACTITIONER = 100
const PRACTITIONERS_PER_UNIT = 10
const PUSH_BATCH = 500
const DAY = 86_400_000
/** Episodes start over these two years; the reports ask for exactly this range. */
export const REPORT_FROM = '2024-01-01'
export const REPORT_TO = '2025-12-31'
const FIRST_START = Date.parse(`${REPORT_FROM}T08:00:00.000Z`)
/** Episodes whose last session is after this are still open; before it most are closed. */
const STILL_OPEN_AFTER = Date.parse('2026-01-01T00:00:00.000Z')

export interface SeededOrg {
  admin: Session
  /** Supervises every practitioner, so a fresh device of theirs pulls the whole organisation. */
  supervisor: Session
  leader: Session
  leaderUnitId: string
  /** The first practitioner, one of the supervisor's supervisees. */
  superviseeId: string
  units: number
  practitioners: number
  clients: number
  closed: number
  administrations: number
  /** Clients + episodes + administrations. */
  records: number
  pushMs: number
  /** This process's CPU time during the pushes (the whole server side on SQLite). */
  pushCpuMs: number
  pushes: number
}

function prng(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return s / 2 ** 31
  }
}

const clamp = (x: number) => Math.min(10, Math.max(0, x))
const iso = (ms: number) => new Date(ms).toISOString()

function marks(instrumentId: InstrumentId, level: number, spread: number, rand: () => number) {
  const items: Record<string, number> = {}
  for (const item of INSTRUMENTS[instrumentId].items) {
    items[item.id] = roundScore(clamp(level + (rand() - 0.5) * spread))
  }
  return items
}

function ageOf(index: number): AgeGroup {
  const r = index % 20
  return r === 0 ? 'child' : r <= 3 ? 'adolescent' : 'adult'
}

function endingOf(rand: () => number, worsening: boolean): Ending {
  const r = rand()
  if (worsening) return r < 0.5 ? 'unplanned' : r < 0.8 ? 'referred' : 'planned'
  return r < 0.7 ? 'planned' : r < 0.85 ? 'unplanned' : r < 0.95 ? 'referred' : 'other'
}

interface Case {
  ops: TestOperation[]
  closed: boolean
  forms: number
}

/**
 * One client with one episode of `sessions` sessions, each an outcome form and a session rating,
 * a week or eight days apart. Most improve, some stay flat, a tenth get worse; most episodes
 * whose last session was before 2026 are closed, the rest stay open.
 */
function caseOf(
  device: Device,
  practitionerId: string,
  unitId: string,
  index: number,
  sessions: number,
  rand: () => number,
): Case {
  const ageGroup = ageOf(index)
  const [outcome, rating]: [InstrumentId, InstrumentId] =
    ageGroup === 'child' ? ['CORS', 'CSRS'] : ['ORS', 'SRS']
  const start = FIRST_START + Math.floor(rand() * 730) * DAY + Math.floor(rand() * 8) * 3_600_000
  const created = iso(start)
  const age =
    ageGroup === 'child' ? 6 + (index % 7) : ageGroup === 'adolescent' ? 14 : 20 + (index % 60)
  const code = `B${String(index).padStart(5, '0')}`
  const client = {
    id: uuidv7(),
    code,
    codeSearch: code.toLowerCase(),
    birthYear: 2025 - age,
    ageGroup,
    unitId,
    practitionerIds: [practitionerId],
    archivedAt: null,
    createdAt: created,
    updatedAt: created,
  }
  const drift = rand()
  const worsening = drift < 0.1
  const step = worsening ? -0.12 : drift < 0.3 ? 0 : 0.15 + rand() * 0.25
  let level = 2.8 + rand() * 3.6
  const alliance = 8.2 + rand() * 1.5
  const forms: Record<string, unknown>[] = []
  let at = start
  for (let s = 1; s <= sessions; s++) {
    if (s > 1) at += 7 * DAY + Math.floor(rand() * 2) * DAY
    for (const [instrumentId, value, spread, offset] of [
      [outcome, level, 1.2, 0],
      [rating, alliance, 0.6, 50 * 60_000],
    ] as const) {
      const items = marks(instrumentId, value, spread, rand)
      const markedAt = iso(at + offset)
      forms.push(
        finalForm({
          id: uuidv7(),
          clientId: client.id,
          episodeId: '',
          instrumentId,
          instrumentVersion: INSTRUMENTS[instrumentId].version,
          items,
          total: totalScore(items),
          rater: 'client',
          collectedBy: rand() < 0.9 ? 'tablet' : 'paper',
          session: s,
          markedAt,
          locale: 'nb',
        }),
      )
    }
    level = Math.min(8.5, Math.max(0.5, level + step))
  }
  const endAt = at + (7 + Math.floor(rand() * 14)) * DAY
  const closed = at < STILL_OPEN_AFTER && rand() < 0.8
  const episode = {
    id: uuidv7(),
    clientId: client.id,
    startedAt: created,
    endedAt: closed ? iso(endAt) : null,
    ending: closed ? endingOf(rand, worsening) : null,
    endStatus: null,
    updatedAt: closed ? iso(endAt) : created,
  }
  const ops = [device.op('client', 'create', client), device.op('episode', 'create', episode)]
  for (const f of forms)
    ops.push(device.op('administration', 'create', { ...f, episodeId: episode.id }))
  return { ops, closed, forms: forms.length }
}

async function call(
  app: FastifyInstance,
  headers: Record<string, string>,
  url: string,
  payload: unknown,
): Promise<{ id: string }> {
  const res = await app.inject({ method: 'POST', url, headers, payload: payload as object })
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json<{ id: string }>()
}

/** The people and units of a seeded organisation, made through the admin API. */
export interface OrgPeople {
  admin: Session
  unitIds: string[]
  leaderUnitId: string
  /** Person ids of the practitioners, 100 clients each. */
  practitionerIds: string[]
  clients: number
}

/**
 * Makes `count` practitioners (practitioner1, …), each in unit index / 10 and supervised by the
 * supervisor, in some faster way than the admin API; returns their person ids in order.
 */
export type MakePractitioners = (org: {
  count: number
  unitIds: readonly string[]
  supervisorId: string
}) => Promise<string[]>

/** The unit of practitioner `index` (from 0). */
export const unitIndexOf = (index: number) => Math.floor(index / PRACTITIONERS_PER_UNIT)

/**
 * Units, a leader, a supervisor of every practitioner and the practitioners for about
 * `administrations` forms (20 per episode on average, one episode per client, 100 clients per
 * practitioner, 10 practitioners per unit), made through the admin API (the practitioners by
 * `makePractitioners` when given).
 */
export async function seedPeople(
  app: FastifyInstance,
  administrations: number,
  makePractitioners?: MakePractitioners,
): Promise<OrgPeople> {
  if (administrations % (2 * FORMS_PER_EPISODE) !== 0)
    throw new Error(`administrations must be a multiple of ${2 * FORMS_PER_EPISODE}`)
  const clients = administrations / FORMS_PER_EPISODE
  const practitioners = Math.ceil(clients / CLIENTS_PER_PRACTITIONER)
  const units = Math.ceil(practitioners / PRACTITIONERS_PER_UNIT)
  const admin = await login(app, 'admin', 'admin-password-1')
  const unitIds: string[] = []
  for (let u = 0; u < units; u++) {
    unitIds.push((await call(app, admin.headers, '/api/admin/units', { name: `Unit ${u + 1}` })).id)
  }
  const person = async (username: string, roles: string[], unitIds: string[]) =>
    (
      await call(app, admin.headers, '/api/admin/people', {
        username,
        displayName: username,
        password: PASSWORD,
        roles,
        unitIds,
      })
    ).id
  const leaderUnitId = unitIds[0] ?? ''
  await person('leader', ['leader'], [leaderUnitId])
  const supervisorId = await person('supervisor', ['supervisor'], [])
  const practitionerIds = makePractitioners
    ? await makePractitioners({ count: practitioners, unitIds, supervisorId })
    : []
  for (let p = practitionerIds.length; p < practitioners; p++) {
    const unit = unitIds[unitIndexOf(p)] ?? ''
    const id = await person(`practitioner${p + 1}`, ['practitioner'], [unit])
    practitionerIds.push(id)
    // Linked before any record exists, so the link itself moves no records.
    await call(app, admin.headers, '/api/admin/supervision', {
      supervisorId,
      practitionerId: id,
    })
  }
  return { admin, unitIds, leaderUnitId, practitionerIds, clients }
}

/** One practitioner's clients, each with its episode and forms, as their tablet would push them. */
export interface PractitionerCases {
  /** Index of the practitioner (practitioner{index + 1}). */
  index: number
  personId: string
  unitId: string
  device: Device
  ops: TestOperation[]
  closed: number
  forms: number
}

/** The practitioners' cases in order, from one seeded random sequence (the same data every run). */
export function* practitionerCases(
  people: OrgPeople,
  administrations: number,
): Generator<PractitionerCases> {
  const rand = prng(administrations)
  for (const [p, personId] of people.practitionerIds.entries()) {
    const unitId = people.unitIds[unitIndexOf(p)] ?? ''
    const device = new Device()
    const ops: TestOperation[] = []
    let closed = 0
    let forms = 0
    const first = p * CLIENTS_PER_PRACTITIONER
    const last = Math.min(people.clients, first + CLIENTS_PER_PRACTITIONER)
    for (let c = first; c < last; c++) {
      // Neighbouring clients have 10+k and 10−k sessions (k from 0 to 6): exactly 10 on average.
      const k = (c >> 1) % 7
      const sessions = FORMS_PER_EPISODE / 2 + (c % 2 === 0 ? k : -k)
      const made = caseOf(device, personId, unitId, c, sessions, rand)
      ops.push(...made.ops)
      if (made.closed) closed += 1
      forms += made.forms
    }
    yield { index: p, personId, unitId, device, ops, closed, forms }
  }
}

/** The sessions a report benchmark asks with, once the records are in. */
export async function orgSessions(
  app: FastifyInstance,
  people: OrgPeople,
): Promise<
  Pick<
    SeededOrg,
    'admin' | 'supervisor' | 'leader' | 'leaderUnitId' | 'superviseeId' | 'units' | 'practitioners'
  >
> {
  return {
    admin: await login(app, 'admin', 'admin-password-1'),
    supervisor: await login(app, 'supervisor', PASSWORD, 'fresh tablet'),
    leader: await login(app, 'leader', PASSWORD),
    leaderUnitId: people.leaderUnitId,
    superviseeId: people.practitionerIds[0] ?? '',
    units: people.unitIds.length,
    practitioners: people.practitionerIds.length,
  }
}

/**
 * An organisation of about `administrations` forms (see seedPeople), pushed by each
 * practitioner's device in pushes of 500 operations. Only the push calls are timed.
 */
export async function seedOrganisation(
  app: FastifyInstance,
  administrations: number,
): Promise<SeededOrg> {
  const people = await seedPeople(app, administrations)
  let pushMs = 0
  let pushCpuMs = 0
  let pushes = 0
  let closed = 0
  let forms = 0
  for (const made of practitionerCases(people, administrations)) {
    const session = await login(
      app,
      `practitioner${made.index + 1}`,
      PASSWORD,
      `tablet ${made.index + 1}`,
    )
    closed += made.closed
    forms += made.forms
    const { ops, device } = made
    for (let i = 0; i < ops.length; i += PUSH_BATCH) {
      const body = device.body(ops.slice(i, i + PUSH_BATCH))
      const t = performance.now()
      const cpu = process.cpuUsage()
      const res = await app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: session.headers,
        payload: body,
      })
      pushMs += performance.now() - t
      pushCpuMs += cpuMsSince(cpu)
      pushes += 1
      if (res.statusCode !== 200) throw new Error(`push: ${res.statusCode} ${res.body}`)
      const results = res.json<{ results: { status: string }[] }>().results
      const refused = results.filter((r) => r.status !== 'applied').length
      if (refused > 0) throw new Error(`push: ${refused} operations not applied`)
    }
  }
  return {
    ...(await orgSessions(app, people)),
    clients: people.clients,
    closed,
    administrations: forms,
    records: 2 * people.clients + forms,
    pushMs,
    pushCpuMs,
    pushes,
  }
}
