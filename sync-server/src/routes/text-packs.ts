// Instrument text packs: the admin uploads (validated by the core) and lists them; devices fetch the active one.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import {
  INSTRUMENT_IDS,
  TEXT_PACK_FORMAT,
  TEXT_PACK_FORMAT_VERSION,
  type TextPack,
  validateTextPack,
} from '../../../src/core/index.ts'
import { audit } from '../accounts/audit.ts'
import type { AppContext } from '../context.ts'
import { authenticate, callerOf } from '../plugins/authenticate.ts'
import { Refusal } from '../refusal.ts'
import { CLOSED, ErrorReply, errors } from './schemas.ts'

const PackSummary = Type.Object(
  {
    id: Type.String(),
    version: Type.String(),
    licensee: Type.String(),
    reference: Type.String(),
    entries: Type.Integer(),
    active: Type.Boolean(),
    uploadedAt: Type.String(),
    uploadedBy: Type.Union([Type.String(), Type.Null()]),
  },
  CLOSED,
)
const PackError = Type.Object(
  { path: Type.String(), code: Type.String(), message: Type.String() },
  CLOSED,
)
const Refused = Type.Object(
  {
    error: Type.String(),
    message: Type.String(),
    errors: Type.Array(PackError),
  },
  CLOSED,
)
const Text = Type.String({ minLength: 1 })
/** What a device receives: the pack as validateTextPack accepted it, field by field. */
const ActivePack = Type.Object(
  {
    format: Type.Literal(TEXT_PACK_FORMAT),
    formatVersion: Type.Literal(TEXT_PACK_FORMAT_VERSION),
    version: Text,
    licence: Type.Object({ licensee: Text, reference: Text, holder: Type.Optional(Text) }, CLOSED),
    entries: Type.Array(
      Type.Object(
        {
          instrumentId: Type.Enum(INSTRUMENT_IDS),
          language: Type.String(),
          title: Text,
          instructions: Text,
          /** Keyed by the instrument's item ids. */
          items: Type.Record(Type.String(), Text),
          endLabels: Type.Object({ low: Text, high: Text }, CLOSED),
        },
        CLOSED,
      ),
    ),
  },
  CLOSED,
)
/** The core's TextPack and this answer must stay one shape: typecheck fails when they part. */
const samePack = (pack: TextPack): Static<typeof ActivePack> => pack
const _sameBack = (pack: Static<typeof ActivePack>): TextPack => pack
/** Licensed wording can be long; a pack over this size is refused before it is parsed. */
const MAX_PACK_BYTES = 2 * 1024 * 1024

export async function textPackRoutes(
  app: FastifyInstance,
  opts: { ctx: AppContext },
): Promise<void> {
  const { ctx } = opts
  const { db } = ctx
  const adminOnly = authenticate(ctx, ['admin'])

  app.post(
    '/api/admin/text-packs',
    {
      bodyLimit: MAX_PACK_BYTES,
      schema: {
        summary: 'Upload a text pack; the body is checked by the core validateTextPack',
        // The core's validator is the schema: its error list names every problem, a JSON schema would stop at one.
        body: Type.Unknown(),
        response: { 201: PackSummary, ...errors, 400: Type.Union([Refused, ErrorReply]) },
      },
      preHandler: adminOnly,
    },
    async (request: FastifyRequest<{ Body: unknown }>, reply) => {
      const result = validateTextPack(request.body)
      if (!result.ok) {
        throw new Refusal(
          400,
          'invalid_text_pack',
          `The text pack was refused (${result.errors.length} problems); nothing was stored.`,
          { errors: result.errors },
        )
      }
      const pack = result.pack
      const caller = callerOf(request)
      const row = {
        id: randomUUID(),
        version: pack.version,
        licensee: pack.licence.licensee,
        reference: pack.licence.reference,
        entries: pack.entries.length,
        pack: JSON.stringify(pack),
        active: 1,
        uploaded_at: new Date().toISOString(),
        uploaded_by: caller.personId,
      }
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('text_packs').set({ active: 0 }).where('active', '=', 1).execute()
        await trx.insertInto('text_packs').values(row).execute()
      })
      await audit(db, {
        actorId: caller.personId,
        action: 'text_pack_uploaded',
        target: row.id,
        ip: request.ip,
        details: { version: row.version, reference: row.reference, entries: row.entries },
      })
      return reply.code(201).send({
        id: row.id,
        version: row.version,
        licensee: row.licensee,
        reference: row.reference,
        entries: row.entries,
        active: true,
        uploadedAt: row.uploaded_at,
        uploadedBy: row.uploaded_by,
      })
    },
  )

  app.get(
    '/api/admin/text-packs',
    { schema: { response: { 200: Type.Array(PackSummary), ...errors } }, preHandler: adminOnly },
    async () => {
      const rows = await db
        .selectFrom('text_packs')
        .select([
          'id',
          'version',
          'licensee',
          'reference',
          'entries',
          'active',
          'uploaded_at',
          'uploaded_by',
        ])
        .orderBy('uploaded_at', 'desc')
        .execute()
      return rows.map((r) => ({
        id: r.id,
        version: r.version,
        licensee: r.licensee,
        reference: r.reference,
        entries: Number(r.entries),
        active: r.active === 1,
        uploadedAt: r.uploaded_at,
        uploadedBy: r.uploaded_by,
      }))
    },
  )

  app.get(
    '/api/text-packs/active',
    {
      schema: {
        summary: 'The active text pack (204 when none was uploaded)',
        response: { 200: ActivePack, 204: Type.Null(), ...errors },
      },
      preHandler: authenticate(ctx),
    },
    async (_request, reply) => {
      const row = await db
        .selectFrom('text_packs')
        .select('pack')
        .where('active', '=', 1)
        .executeTakeFirst()
      if (!row) return reply.code(204).send()
      // Stored only after validateTextPack accepted it (POST above).
      return samePack(JSON.parse(row.pack) as TextPack)
    },
  )
}
