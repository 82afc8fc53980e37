// Group commit of pushes: pushes that arrive while a commit is in flight wait, then run together in
// one transaction with one commit (one fsync), each inside its own savepoint so each push stays
// all-or-nothing: a refused push rolls back only its savepoint and gets its own refusal (a push
// alone in its commit runs without one: its refusal rolls back the whole transaction).
import { type Kysely, sql } from 'kysely'
import type { Dialect } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { lockCounter, SeqAllocator, storeCounter, type Trx } from './store.ts'

/** One push's work inside the shared transaction; server numbers come from the shared allocator. */
export type PushWork<T> = (trx: Trx, seq: SeqAllocator) => Promise<T>

interface Job {
  work: PushWork<unknown>
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

export class GroupCommitter {
  private readonly queue: Job[] = []
  private running = false
  private readonly maxPushes: number
  private readonly maxOperations: number

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxPushes = options.maxPushes ?? 50
    this.maxOperations = options.maxOperations ?? 2000
  }

  /**
   * Runs `work` in the next commit. A push arriving when nothing is in flight starts at once (no
   * waiting for company); the promise settles after its commit, or with the push's own error.
   */
  submit<T>(weight: number, work: PushWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
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

  private takeBatch(): Job[] {
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
    const done: { job: Job; value: unknown }[] = []
    let batch: Job[] = []
    let trx: Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>>
    try {
      trx = await this.db.startTransaction().execute()
    } catch (error) {
      for (const job of this.queue.splice(0)) job.reject(error)
      return
    }
    const pending = new Set<Job>()
    try {
      // One counter lock for the whole batch: on PostgreSQL it is held until this commit, so
      // batches of several server instances commit in server order, without gaps (S12).
      const seq = new SeqAllocator(await lockCounter(trx, this.dialect))
      batch = this.takeBatch()
      for (const job of batch) pending.add(job)
      // A push alone in its commit needs no savepoint: its refusal rolls back the whole
      // transaction, which holds nothing else (three round trips fewer per push on PostgreSQL).
      const alone = batch.length === 1
      for (const job of batch) {
        if (alone) {
          done.push({ job, value: await job.work(trx, seq) })
          break
        }
        const mark = seq.last
        await sql`savepoint push`.execute(trx)
        try {
          const value = await job.work(trx, seq)
          await sql`release savepoint push`.execute(trx)
          done.push({ job, value })
        } catch (error) {
          await sql`rollback to savepoint push`.execute(trx)
          await sql`release savepoint push`.execute(trx)
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
