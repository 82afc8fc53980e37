// Group commit of pushes: pushes that arrive while a commit is in flight wait, then run together in
// one transaction with one commit (one fsync). Each push stays all-or-nothing: its writes wait in
// memory (commit-group.ts) until it has succeeded, and a push that must write with SQL before then
// (a correction's chain, a re-stamp) does so inside its own savepoint, which its refusal rolls back.
// A push alone in its commit needs no savepoint: its refusal rolls back the whole transaction.
import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { lockCounter, SeqAllocator, storeCounter, type Trx } from './store.ts'

/**
 * What a batch of pushes shares: `open` reads what the whole batch needs once the transaction holds
 * the counter lock, `close` writes what the successful pushes left, before the commit.
 */
export interface BatchHooks<P, G> {
  open: (trx: Trx, seq: SeqAllocator, plans: readonly P[], shared: boolean) => Promise<G>
  close: (group: G) => Promise<void>
}

/**
 * One push's work inside the shared transaction. `savepoint` opens the push's savepoint, which
 * its refusal then rolls back; call it before the push's first SQL write.
 */
export type PushWork<G, T> = (group: G, savepoint: () => Promise<void>) => Promise<T>

interface Job<P, G> {
  plan: P
  work: PushWork<G, unknown>
  /** How many operations the push carries: a batch is bounded by these as well as by pushes. */
  weight: number
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

export interface GroupCommitOptions {
  /**
   * Pushes per commit at most. PostgreSQL keeps 64 subtransactions per transaction in memory;
   * more spill to disk and slow every reader, so a batch stays under that.
   */
  maxPushes?: number
  /** Operations per commit at most, so a batch of large pushes does not hold the writer for long. */
  maxOperations?: number
  /** Called after each commit with the number of pushes it carried (tests count commits with it). */
  onCommit?: (pushes: number) => void
}

export class GroupCommitter<P, G> {
  private readonly queue: Job<P, G>[] = []
  private running = false
  private readonly maxPushes: number
  private readonly maxOperations: number

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly hooks: BatchHooks<P, G>,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxPushes = options.maxPushes ?? 50
    this.maxOperations = options.maxOperations ?? 2000
  }

  /**
   * Runs `work` in the next commit. A push arriving when nothing is in flight starts at once (no
   * waiting for company); the promise settles after its commit, or with the push's own error.
   */
  submit<T>(plan: P, weight: number, work: PushWork<G, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        plan,
        work,
        weight,
        resolve: (value) => resolve(value as T),
        reject,
      })
      if (!this.running) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.running = true
    try {
      while (this.queue.length > 0) {
        // One turn of the event loop: requests already read from their sockets get to queue here.
        // better-sqlite3 never yields while a batch runs, so without it no push would ever wait
        // for company; a lone push loses only this turn (microseconds).
        await new Promise((resolve) => setImmediate(resolve))
        await this.runBatch()
      }
    } finally {
      this.running = false
    }
  }

  private takeBatch(): Job<P, G>[] {
    let operations = 0
    let count = 0
    for (const job of this.queue) {
      if (count >= this.maxPushes) break
      if (count > 0 && operations + job.weight > this.maxOperations) break
      operations += job.weight
      count += 1
    }
    return this.queue.splice(0, count)
  }

  /**
   * The batch is taken only once the transaction holds the writer (SQLite's one connection) and the
   * counter lock (PostgreSQL, possibly held by another server instance): the pushes that arrived
   * while waiting for them are the ones that share this commit.
   */
  private async runBatch(): Promise<void> {
    const done: { job: Job<P, G>; value: unknown }[] = []
    let batch: Job<P, G>[] = []
    let trx: Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>>
    try {
      trx = await this.db.startTransaction().execute()
    } catch (error) {
      for (const job of this.queue.splice(0)) job.reject(error)
      return
    }
    const pending = new Set<Job<P, G>>()
    try {
      // One counter lock for the whole batch: on PostgreSQL it is held until this commit, so
      // batches of several server instances commit in server order, without gaps (S12).
      const seq = new SeqAllocator(await lockCounter(trx, this.dialect))
      batch = this.takeBatch()
      for (const job of batch) pending.add(job)
      const shared = batch.length > 1
      const group = await this.hooks.open(
        trx,
        seq,
        batch.map((job) => job.plan),
        shared,
      )
      for (const job of batch) {
        const mark = seq.last
        let open = false
        const savepoint = async () => {
          if (!shared || open) return
          await sql`savepoint push`.execute(trx)
          open = true
        }
        try {
          const value = await job.work(group, savepoint)
          if (open) await sql`release savepoint push`.execute(trx)
          done.push({ job, value })
        } catch (error) {
          // Alone in its commit, the push's refusal rolls back the whole transaction (below).
          if (!shared) throw error
          if (open) {
            await sql`rollback to savepoint push`.execute(trx)
            await sql`release savepoint push`.execute(trx)
          }
          // Numbers the refused push took are handed out again: server order stays gap-free.
          seq.reset(mark)
          pending.delete(job)
          job.reject(error)
        }
      }
      if (done.length === 0) {
        await trx.rollback().execute()
        return
      }
      await this.hooks.close(group)
      await storeCounter(trx, seq.last)
      await trx.commit().execute()
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined)
      for (const job of pending) job.reject(error)
      return
    }
    this.options.onCommit?.(done.length)
    for (const { job, value } of done) job.resolve(value)
  }
}
