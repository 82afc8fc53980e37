// Reports by period for leaders (their units) and admins (every unit and the organisation): core aggregates, small groups and every figure they would give away hidden.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import {
  csvText,
  PERIOD_KINDS,
  type Period,
  periodOf,
  periodsBetween,
  type ReportFigure,
} from '../../../src/core/index.ts'
import { audit } from '../accounts/audit.ts'
import type { AppContext } from '../context.ts'
import { authenticate, type Caller, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { AggregatesSchema } from '../reports/aggregates-schema.ts'
import { type CallerReports, ORGANISATION_NODE, reportsFor } from '../reports/scope.ts'
import { CalendarDate, errors, Id, NullableString } from './schemas.ts'

const ReportQuery = Type.Object(
  {
    unitId: Type.Optional(Id),
    period: Type.Union(PERIOD_KINDS.map((k) => Type.Literal(k))),
    from: CalendarDate,
    to: CalendarDate,
  },
  { additionalProperties: false },
)
const ReportRow = Type.Object({
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  /** Episodes started in the period (0 when that figure is hidden). */
  n: Type.Integer(),
  /** The whole group rests on too few clients; single figures can be hidden too (`suppressed: true`). */
  suppressed: Type.Boolean(),
  /** The core's Aggregates after protectYear: every figure carries value, n and clients. */
  aggregates: AggregatesSchema,
})
const Report = Type.Object({
  unitId: NullableString,
  unitName: Type.String(),
  period: Type.String(),
  rows: Type.Array(ReportRow),
})
/** More periods than this in one report is refused (ten years of months). */
const MAX_PERIODS = 120
const CompareQuery = Type.Object(
  { period: Type.Union(PERIOD_KINDS.map((k) => Type.Literal(k))), at: CalendarDate },
  { additionalProperties: false },
)
const CompareRow = Type.Object({
  unitId: NullableString,
  unitName: Type.String(),
  n: Type.Integer(),
  suppressed: Type.Boolean(),
  aggregates: AggregatesSchema,
})
const Compare = Type.Object({
  period: Type.String(),
  from: Type.String(),
  to: Type.String(),
  rows: Type.Array(CompareRow),
})

/** A period's row from the caller's protected figures. */
async function rowOf(reports: CallerReports, node: string, p: Period) {
  const { aggregates, suppressed } = await reports.cell(node, p)
  return { n: aggregates.episodes.total.n, suppressed, aggregates }
}

/** One CSV line per period and figure; the columns are named in the OpenAPI summary of /api/reports.csv. */
export const REPORT_CSV_COLUMNS = [
  'unit',
  'period',
  'from',
  'to',
  'figure',
  'value',
  'n',
  'clients',
  'suppressed',
] as const

/** Text through the core's guarded csvText (a unit may be named "=HYPERLINK(…)"); numbers as they are. */
function csvCell(value: string | number | boolean | null): string {
  return typeof value === 'string' ? csvText(value) : value === null ? '' : String(value)
}

function figureLines(prefix: string, value: unknown, out: [string, ReportFigure][]): void {
  if (typeof value !== 'object' || value === null) return
  if ('value' in value && 'n' in value) {
    out.push([prefix, value as ReportFigure])
    return
  }
  for (const [k, v] of Object.entries(value)) figureLines(prefix ? `${prefix}.${k}` : k, v, out)
}

type ReportOf = Static<typeof Report>

async function buildReport(
  ctx: AppContext,
  caller: Caller,
  q: Static<typeof ReportQuery>,
): Promise<ReportOf> {
  if (q.from > q.to) throw new Refusal(400, 'bad_period', 'from is after to.')
  const periods = periodsBetween(q.from, q.to, q.period)
  if (periods.length > MAX_PERIODS)
    throw new Refusal(400, 'too_many_periods', `At most ${MAX_PERIODS} periods at once.`)
  const reports = await reportsFor(ctx, caller)
  let unitName = 'Organisation'
  if (q.unitId) {
    const unit = reports.units.find((u) => u.id === q.unitId)
    if (!unit) {
      const exists = await ctx.db
        .selectFrom('units')
        .select('id')
        .where('id', '=', q.unitId)
        .executeTakeFirst()
      throw exists
        ? new Refusal(403, 'forbidden', 'You lead other units.')
        : new Refusal(404, 'not_found', 'No such unit.')
    }
    unitName = unit.name
  } else if (!reports.organisation) {
    throw new Refusal(403, 'forbidden', 'The whole organisation is for administrators.')
  }
  const node = q.unitId ?? ORGANISATION_NODE
  const rows = []
  for (const p of periods)
    rows.push({ period: p.key, from: p.from, to: p.to, ...(await rowOf(reports, node, p)) })
  return { unitId: q.unitId ?? null, unitName, period: q.period, rows }
}

function toCsv(report: ReportOf): string {
  const lines = [REPORT_CSV_COLUMNS.join(',')]
  for (const row of report.rows) {
    const figures: [string, ReportFigure][] = []
    const { suppressed: _s, ...groups } = row.aggregates as Record<string, unknown>
    figureLines('', groups, figures)
    for (const [name, f] of figures) {
      const cells = [report.unitName, row.period, row.from, row.to, name, f.value, f.n, f.clients]
      lines.push([...cells, row.suppressed || f.suppressed === true].map(csvCell).join(','))
    }
  }
  return `${lines.join('\r\n')}\r\n`
}

export async function reportPeriodRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const allowed = authenticate(ctx, ['leader', 'admin'])

  app.get(
    '/api/reports',
    {
      schema: {
        summary:
          'Aggregates per period (episodes by start date) of one unit, or of all for an admin',
        querystring: ReportQuery,
        response: { 200: Report, ...errors },
      },
      preHandler: allowed,
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof ReportQuery> }>) =>
      buildReport(ctx, callerOf(request), request.query),
  )

  app.get(
    '/api/reports.csv',
    {
      schema: {
        summary: `The report table as CSV: ${REPORT_CSV_COLUMNS.join(', ')} (one line per period and figure)`,
        querystring: ReportQuery,
        response: { 200: Type.String(), ...errors },
      },
      preHandler: allowed,
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof ReportQuery> }>, reply) => {
      const caller = callerOf(request)
      const report = await buildReport(ctx, caller, request.query)
      await audit(ctx.db, {
        actorId: caller.personId,
        action: 'export',
        target: report.unitId,
        ip: request.ip,
        details: {
          kind: 'report_csv',
          period: report.period,
          from: request.query.from,
          to: request.query.to,
        },
      })
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="linja-report.csv"')
        .send(toCsv(report))
    },
  )

  app.get(
    '/api/reports/compare',
    {
      schema: {
        summary:
          'One period: every unit the caller may see and, for an administrator, the organisation',
        querystring: CompareQuery,
        response: { 200: Compare, ...errors },
      },
      preHandler: allowed,
    },
    async (request: FastifyRequest<{ Querystring: Static<typeof CompareQuery> }>) => {
      const p = periodOf(request.query.at, request.query.period)
      const reports = await reportsFor(ctx, callerOf(request))
      const rows = []
      for (const u of reports.units)
        rows.push({
          unitId: u.id as string | null,
          unitName: u.name,
          ...(await rowOf(reports, u.id, p)),
        })
      if (reports.organisation)
        rows.push({
          unitId: null,
          unitName: 'Organisation',
          ...(await rowOf(reports, ORGANISATION_NODE, p)),
        })
      return { period: p.key, from: p.from, to: p.to, rows }
    },
  )
}
