// Runs rebuilds of the reports' read model in the background, one at a time, and tells how far the current one is (log and admin screen).
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { Dialect } from '../db/database.ts'
import type { Database } from '../db/schema.ts'
import { factsReady, rebuildEpisodeFacts } from './facts.ts'

export interface FactsProgress {
  /** 0–100 while a rebuild runs. */
  percent: number
}

export class FactsBuilder {
  private running: Promise<void> | null = null
  private signal = { aborted: false }
  private again = false
  private closed = false
  private done = 0
  private total = 0

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Null when no rebuild runs. */
  progress(): FactsProgress | null {
    if (!this.running) return null
    return { percent: this.total === 0 ? 0 : Math.floor((100 * this.done) / this.total) }
  }

  /** Rebuilds unless the table is already built with the settings in force. */
  async ensure(): Promise<void> {
    if (!(await factsReady(this.db))) this.request()
  }

  /** Starts a rebuild; one already running stops after its chunk and starts over. */
  request(): void {
    if (this.closed) return
    if (this.running) {
      this.again = true
      this.signal.aborted = true
      return
    }
    this.running = this.loop().finally(() => {
      this.running = null
    })
  }

  /** Resolves when no rebuild runs (tests and the benchmark wait for it). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  async close(): Promise<void> {
    this.closed = true
    this.again = false
    this.signal.aborted = true
    await this.idle()
  }

  private async loop(): Promise<void> {
    do {
      this.again = false
      this.signal = { aborted: false }
      this.done = 0
      this.total = 0
      let logged = -1
      try {
        const result = await rebuildEpisodeFacts(this.db, this.dialect, {
          signal: this.signal,
          onProgress: (done, total) => {
            this.done = done
            this.total = total
            // Counts only: the log never names a client or a score.
            const tenth = total === 0 ? 10 : Math.floor((10 * done) / total)
            if (tenth > logged) {
              logged = tenth
              this.log.info({ done, total, percent: tenth * 10 }, 'rebuilding report facts')
            }
          },
        })
        if (result === 'built') this.log.info({ clients: this.total }, 'report facts built')
      } catch (error) {
        if (this.closed) return
        this.log.error({ err: error }, 'rebuilding report facts failed; reports read the records')
        return
      }
    } while (this.again && !this.closed)
  }
}
