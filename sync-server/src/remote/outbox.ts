// The messages of remote links waiting to be sent (`remote_deliveries`), worked through with
// retries and backoff. Several instances on one PostgreSQL share the table: each row is claimed by
// one conditional update before it is sent, and a claim lapses if its instance dies.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import { open, type SecretsKey, seal } from '../auth/secrets-key.ts'
import type { Database } from '../db/schema.ts'
import { stateOf } from './links.ts'
import type { Message, MessageKind } from './messages.ts'
import { failed, type Senders, type SendOutcome } from './senders.ts'

/** Waits after the 1st, 2nd … failed try; after the last the message is given up. */
const BACKOFF_MS = [30_000, 120_000, 600_000, 1_800_000, 7_200_000]
export const MAX_DELIVERY_ATTEMPTS = BACKOFF_MS.length + 1
/** How long an instance may work on a row before another may take it over. */
const CLAIM_MS = 120_000
const BATCH = 20

interface Sealed {
  to: string
  message: Message
}

export interface NewDelivery {
  linkId: string
  kind: MessageKind
  channel: 'email' | 'sms'
  to: string
  message: Message
}

/** Inserts a message to send; its address and text are sealed, bound to the row. */
export async function queueDelivery(
  db: Kysely<Database>,
  key: SecretsKey,
  delivery: NewDelivery,
  nowIso: string,
): Promise<void> {
  const id = randomUUID()
  const sealed: Sealed = { to: delivery.to, message: delivery.message }
  await db
    .insertInto('remote_deliveries')
    .values({
      id,
      link_id: delivery.linkId,
      kind: delivery.kind,
      channel: delivery.channel,
      status: 'pending',
      attempts: 0,
      next_attempt_at: nowIso,
      claimed_by: null,
      claimed_until: null,
      sealed_message: seal(key, JSON.stringify(sealed), `remote-delivery:${id}`),
      last_error: null,
      created_at: nowIso,
      updated_at: nowIso,
    })
    .execute()
}

export interface OutboxOptions {
  db: Kysely<Database>
  secretsKey: SecretsKey
  senders: Senders
  now: () => number
  log: FastifyBaseLogger
  /** How often due messages are looked for (retries); a new message is sent at once anyway. */
  tickMs: number
}

export class DeliveryOutbox {
  private readonly instance = randomUUID()
  private running: Promise<void> | null = null
  private again = false
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly o: OutboxOptions) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.tickMs)
    this.timer.unref()
    this.kick()
  }

  /** Sends what is due, soon; a call while a round runs makes one more round after it. */
  kick(): void {
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.rounds().finally(() => {
      this.running = null
    })
  }

  /** Waits for the round under way (tests; and a graceful close). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.idle()
    for (const sender of Object.values(this.o.senders)) sender?.close?.()
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false
      try {
        await this.round()
      } catch (error) {
        this.o.log.error({ err: { type: (error as Error).name } }, 'remote delivery round failed')
      }
    } while (this.again)
  }

  private async round(): Promise<void> {
    const nowIso = new Date(this.o.now()).toISOString()
    // A link past its time needs no reminder: the token kept sealed for one goes.
    await this.o.db
      .updateTable('remote_links')
      .set({ sealed_token: null })
      .where('sealed_token', 'is not', null)
      .where('expires_at', '<=', nowIso)
      .execute()
    const due = await this.o.db
      .selectFrom('remote_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', nowIso)]))
      .orderBy('next_attempt_at')
      .limit(BATCH)
      .execute()
    for (const { id } of due) {
      if (await this.claim(id, nowIso)) await this.deliver(id)
    }
  }

  /** One instance wins a row: the update names the state it read, so a second claimant changes nothing. */
  private async claim(id: string, nowIso: string): Promise<boolean> {
    const until = new Date(Date.parse(nowIso) + CLAIM_MS).toISOString()
    const result = await this.o.db
      .updateTable('remote_deliveries')
      .set({ claimed_by: this.instance, claimed_until: until })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', nowIso)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  private async deliver(id: string): Promise<void> {
    const { db } = this.o
    const row = await db
      .selectFrom('remote_deliveries')
      .innerJoin('remote_links', 'remote_links.id', 'remote_deliveries.link_id')
      .select([
        'remote_deliveries.channel',
        'remote_deliveries.attempts',
        'remote_deliveries.sealed_message',
        'remote_links.state',
        'remote_links.expires_at',
      ])
      .where('remote_deliveries.id', '=', id)
      .where('remote_deliveries.claimed_by', '=', this.instance)
      .executeTakeFirst()
    if (!row) return
    const nowIso = new Date(this.o.now()).toISOString()
    if (stateOf(row, nowIso) !== 'waiting' || row.sealed_message === null) {
      await this.finish(id, row.attempts, 'failed', 'The link ended before the message was sent.')
      return
    }
    const sender = this.o.senders[row.channel as 'email' | 'sms']
    if (!sender) {
      await this.finish(
        id,
        row.attempts,
        'failed',
        'This way of sending is not set up on the server.',
      )
      return
    }
    const sealed = JSON.parse(
      open(this.o.secretsKey, row.sealed_message, `remote-delivery:${id}`),
    ) as Sealed
    const attempts = row.attempts + 1
    const outcome: SendOutcome = await sender
      .send(sealed.to, sealed.message)
      .catch(() => failed('Sending failed.'))
    if (outcome.sent) {
      await this.finish(id, attempts, 'sent', null)
    } else {
      if (!outcome.retry || attempts >= MAX_DELIVERY_ATTEMPTS) {
        await this.finish(id, attempts, 'failed', outcome.error)
        return
      }
      const wait = BACKOFF_MS[attempts - 1] ?? BACKOFF_MS.at(-1) ?? 0
      await db
        .updateTable('remote_deliveries')
        .set({
          attempts,
          last_error: outcome.error,
          next_attempt_at: new Date(this.o.now() + wait).toISOString(),
          claimed_by: null,
          claimed_until: null,
          updated_at: new Date(this.o.now()).toISOString(),
        })
        .where('id', '=', id)
        .execute()
    }
  }

  /** Sent or given up: the address and text are erased with it. */
  private async finish(
    id: string,
    attempts: number,
    status: 'sent' | 'failed',
    lastError: string | null,
  ): Promise<void> {
    await this.o.db
      .updateTable('remote_deliveries')
      .set({
        status,
        attempts,
        last_error: lastError,
        sealed_message: null,
        claimed_by: null,
        claimed_until: null,
        updated_at: new Date(this.o.now()).toISOString(),
      })
      .where('id', '=', id)
      .execute()
  }
}
