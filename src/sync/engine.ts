// The device's sync engine: push the outbox, pull changes, keep the status the app shows (docs/sync-protocol.md).
import { CLOCK_SKEW_WARNING_MS, SYNC_ERRORS } from '../core/sync-protocol.ts'
import {
  countWaiting,
  deleteMeta,
  getDeviceId,
  getMeta,
  getWipeNotice,
  type LinjaDb,
  type RefusedChange,
  setMeta,
  WIPE_NOTICE_KEY,
  wipeDevice,
} from '../storage/index.ts'
import { authorisedCaller } from './authorised.ts'
import { backoffDelay } from './backoff.ts'
import { dismissConflict, loadConflicts } from './conflicts.ts'
import { isSyncHttpError, NETWORK_ERROR, SIGN_IN_AGAIN_CODES, WIPE_CODES } from './errors.ts'
import { SYNC_LOCK_NAME, type SyncLock, webLock } from './lock.ts'
import { type PassContext, type PushOutcome, pullAll, pushAll } from './passes.ts'
import { clearSession, loadSession, saveCursor, saveSession, sessionFrom } from './session.ts'
import { createStatusStore, type StatusListener, type SyncStatus } from './status.ts'
import {
  type AuthAnswer,
  isSecondFactorStep,
  type SecondFactorProof,
  type SecondFactorStep,
  type SessionPerson,
  type SigningDevice,
  type SyncTransport,
  type TotpEnrolment,
} from './transport.ts'

/** The password was right; the sign-in goes on with `step` (a code, or enrolling an app). */
export class SecondFactorRequired extends Error {
  constructor(readonly step: SecondFactorStep) {
    super(`second factor: ${step.secondFactor}`)
    this.name = 'SecondFactorRequired'
  }
}

type Accepted = (person: SessionPerson) => void | Promise<void>

export const STOPPED_KEY = 'sync.stopped'
/** The last successful sync per practitioner: the header shows it after a restart, offline too. */
export const LAST_SUCCESS_KEY = 'sync.lastSuccess'
/** Not a server answer: the signed-in person's roles cannot send what waits on the tablet. */
export const NO_SYNC_ROLE = 'no_sync_role'
/** Not a server answer: pulled records whose shape this app does not know were not stored. */
export const INVALID_RECORD = 'invalid_record'

function refusedError(refused: readonly RefusedChange[]) {
  const [first] = refused
  if (!first) return null
  return {
    code: INVALID_RECORD,
    message: `${refused.length} record(s) from the server were not stored: ${first.problem}`,
  }
}

export type SyncTrigger = 'start' | 'online' | 'visible' | 'periodic' | 'form' | 'manual' | 'retry'

export interface SyncEngineOptions {
  db: LinjaDb
  transport: SyncTransport
  now?: () => Date
  random?: () => number
  lock?: SyncLock
  /** Runs `run` after `delayMs` and returns a cancel function; setTimeout by default. */
  schedule?: (run: () => void, delayMs: number) => () => void
  pullLimit?: number
  batchSize?: number
  /** Sent at sign-in, shown to the administrator beside the tablet. */
  appVersion?: string
}

export type LogoutResult = { ok: true } | { ok: false; pending: number }

export interface SyncEngine {
  /** Reads the stored session, conflicts and notices into the status. */
  load(): Promise<SyncStatus>
  /**
   * `accepted` runs once the server has accepted the password, before the session is stored (the
   * app closes data that is not the signing-in person's there, so no sync can send it under them).
   */
  login(
    username: string,
    password: string,
    deviceName: string,
    accepted?: Accepted,
  ): Promise<SessionPerson>
  /**
   * A sign-in whose answer comes from elsewhere (the identity provider's one-time exchange): the
   * same device session handling as `login`. `obtain` gets the tablet's id and app version.
   */
  loginWith<A extends AuthAnswer>(
    obtain: (device: SigningDevice) => Promise<A>,
    accepted?: (person: SessionPerson) => void | Promise<void>,
  ): Promise<A>
  /**
   * The second step of a sign-in (after login threw SecondFactorRequired): a code or a recovery
   * code. Throws SecondFactorRequired again when a recovery code leads on to enrolment.
   */
  secondFactor(
    pendingToken: string,
    proof: SecondFactorProof,
    accepted?: Accepted,
  ): Promise<SessionPerson>
  startEnrolment(pendingToken: string): Promise<TotpEnrolment>
  /**
   * Ends an enrolment with the first code. The session is not stored yet: `adopt` stores it once
   * the person has seen the recovery codes (the PIN step would cover them).
   */
  confirmEnrolment(
    pendingToken: string,
    code: string,
  ): Promise<{ answer: AuthAnswer; recoveryCodes: string[] }>
  adopt(answer: AuthAnswer, accepted?: Accepted): Promise<SessionPerson>
  /** With unsent changes and no `force` nothing happens; `force` ends the session but keeps all local data. */
  logout(options?: { force?: boolean }): Promise<LogoutResult>
  syncNow(trigger?: SyncTrigger): Promise<SyncStatus>
  getStatus(): SyncStatus
  subscribe(listener: StatusListener): () => void
  /** Re-counts the outbox (call after a local write). */
  refreshPending(): Promise<void>
  /** Set by the scheduler from navigator.onLine. */
  reportOffline(offline: boolean): void
  dismissConflict(opId: string): Promise<void>
  /** Cancels a scheduled retry. */
  dispose(): void
}

const NOTHING_PUSHED: PushOutcome = {
  batches: 0,
  acknowledged: 0,
  refusals: [],
  clockSkewMs: undefined,
  serverEpoch: null,
  serverLostChanges: false,
}

const STOPPING_STATES: readonly SyncStatus['state'][] = ['device-conflict', 'revoked']

/**
 * S17: the skew to warn about, or null when the clocks agree within CLOCK_SKEW_WARNING_MS. The
 * device's own measurement comes first; a server that sends no time still warns in its answer.
 */
function clockWarning(
  measured: number | undefined,
  fromServer: number | null | undefined,
  previous: number | null,
): number | null {
  if (measured !== undefined) {
    return Math.abs(measured) > CLOCK_SKEW_WARNING_MS ? Math.round(measured) : null
  }
  return fromServer === undefined ? previous : fromServer
}

function defaultSchedule(run: () => void, delayMs: number): () => void {
  const handle = setTimeout(run, delayMs)
  return () => clearTimeout(handle)
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, transport } = options
  const now = options.now ?? (() => new Date())
  const random = options.random ?? Math.random
  const lock = options.lock ?? webLock()
  const schedule = options.schedule ?? defaultSchedule
  const status = createStatusStore()
  /** Device clock minus server clock, last measured; token expiry is judged on the server's clock. */
  let skewMs = 0
  let measured: number | undefined
  const call = authorisedCaller(db, transport, () => new Date(now().getTime() - skewMs))
  const ctx: PassContext = {
    db,
    transport,
    call,
    now,
    observeSkew: (ms) => {
      skewMs = ms
      measured = ms
    },
  }
  if (options.pullLimit !== undefined) ctx.pullLimit = options.pullLimit
  if (options.batchSize !== undefined) ctx.batchSize = options.batchSize
  let loaded = false
  let running: Promise<SyncStatus> | null = null
  let again = false
  let failures = 0
  let cancelRetry: (() => void) | null = null

  async function lastSuccesses(): Promise<Record<string, string>> {
    const value = await getMeta<unknown>(db, LAST_SUCCESS_KEY)
    if (value === null || typeof value !== 'object') return {}
    return Object.fromEntries(
      Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
    )
  }

  async function load(): Promise<SyncStatus> {
    const [session, notice, stopped, conflicts, pending, successes] = await Promise.all([
      loadSession(db),
      getWipeNotice(db),
      getMeta<{ reason: string }>(db, STOPPED_KEY),
      loadConflicts(db),
      countWaiting(db),
      lastSuccesses(),
    ])
    let state: SyncStatus['state'] = session ? 'idle' : 'logged-out'
    if (!session && notice) state = 'revoked'
    if (stopped) state = 'device-conflict'
    const lastSuccessAt = session ? (successes[session.person.id] ?? null) : null
    status.set({ state, pending, conflicts, revokedReason: notice?.reason ?? null, lastSuccessAt })
    loaded = true
    return status.get()
  }

  function stopRetry(): void {
    cancelRetry?.()
    cancelRetry = null
  }

  function retryLater(): void {
    failures += 1
    const delay = backoffDelay(failures, random)
    status.set({ nextRetryAt: new Date(now().getTime() + delay).toISOString() })
    stopRetry()
    cancelRetry = schedule(() => {
      cancelRetry = null
      void syncNow('retry')
    }, delay)
  }

  async function fail(error: unknown): Promise<void> {
    if (!isSyncHttpError(error)) {
      status.set({ state: 'error', lastError: { code: 'internal', message: String(error) } })
      retryLater()
      return
    }
    const lastError = {
      code: error.code,
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
    }
    if (error.code === NETWORK_ERROR) {
      status.set({ state: 'offline', lastError })
      retryLater()
    } else if (error.code === SYNC_ERRORS.updateRequired) {
      // S1: the outbox stays; a newer app sends it.
      status.set({ state: 'update-needed', lastError })
    } else if (WIPE_CODES.includes(error.code)) {
      if (error.body.wipe === true) {
        // S3: the server ordered a wipe; the notice that stays says why.
        await wipeDevice(db, error.code)
        status.set({
          state: 'revoked',
          lastError,
          revokedReason: error.code,
          pending: 0,
          conflicts: [],
        })
      } else {
        await clearSession(db)
        status.set({ state: 'logged-out', lastError })
      }
    } else if (error.code === SYNC_ERRORS.seqReused) {
      // S5: a cloned or restored tablet; a person decides what happens next.
      await setMeta(db, STOPPED_KEY, { reason: error.code, at: now().toISOString() })
      status.set({ state: 'device-conflict', lastError })
    } else if (SIGN_IN_AGAIN_CODES.includes(error.code)) {
      // The outbox and the records stay; they go out after the next sign-in.
      await clearSession(db)
      status.set({ state: 'logged-out', lastError })
    } else {
      status.set({ state: 'error', lastError })
      retryLater()
    }
  }

  async function runOnce(): Promise<void> {
    if (!loaded) await load()
    if (STOPPING_STATES.includes(status.get().state)) return
    const session = await loadSession(db)
    if (!session) {
      status.set({ state: 'logged-out', pending: await countWaiting(db) })
      return
    }
    // S15: only practitioners send records, practitioners and supervisors fetch them; an
    // administrator's or a leader's tablet works online. What waits under such a sign-in is said,
    // not silently kept (it goes when a practitioner signs in here).
    const roles = session.person.roles
    const canPush = roles.includes('practitioner')
    const noRole = async () => {
      const pending = await countWaiting(db)
      return pending > 0
        ? { code: NO_SYNC_ROLE, message: 'The signed-in person cannot send client records.' }
        : null
    }
    if (!canPush && !roles.includes('supervisor')) {
      const lastError = await noRole()
      status.set({
        state: lastError ? 'error' : 'idle',
        pending: await countWaiting(db),
        lastError,
      })
      return
    }
    stopRetry()
    status.set({ state: 'syncing', nextRetryAt: null })
    measured = undefined
    try {
      const pushed: PushOutcome = canPush ? await pushAll(ctx) : NOTHING_PUSHED
      // A refused change was taken out locally; a full pull puts the server's versions back.
      const epochMoved = pushed.serverEpoch !== null && pushed.serverEpoch !== session.serverEpoch
      const fromScratch = pushed.refusals.length > 0 || epochMoved || pushed.serverLostChanges
      const pulled = await pullAll(ctx, fromScratch)
      const latest = await loadSession(db)
      const epoch = pulled.serverEpoch ?? pushed.serverEpoch
      if (latest && epoch !== null && latest.serverEpoch !== epoch) {
        await saveSession(db, { ...latest, serverEpoch: epoch })
      }
      failures = 0
      const lastSuccessAt = now().toISOString()
      await setMeta(db, LAST_SUCCESS_KEY, {
        ...(await lastSuccesses()),
        [session.person.id]: lastSuccessAt,
      })
      const lastError = refusedError(pulled.refused) ?? (canPush ? null : await noRole())
      status.set({
        state: lastError ? 'error' : 'idle',
        lastSuccessAt,
        lastError,
        pending: await countWaiting(db),
        conflicts: await loadConflicts(db),
        clockSkewMs: clockWarning(measured, pushed.clockSkewMs, status.get().clockSkewMs),
      })
    } catch (error) {
      await fail(error)
      if (status.get().state !== 'revoked') {
        status.set({ pending: await countWaiting(db), conflicts: await loadConflicts(db) })
      }
    }
  }

  function syncNow(_trigger: SyncTrigger = 'manual'): Promise<SyncStatus> {
    if (running) {
      // A change made during a sync is sent by one more round, not forgotten.
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await lock(SYNC_LOCK_NAME, runOnce)
        } while (again)
      } catch (error) {
        // The triggers fire and forget: syncNow reports through the status and never rejects.
        status.set({ state: 'error', lastError: { code: 'internal', message: String(error) } })
      } finally {
        running = null
      }
      return status.get()
    })()
    return running
  }

  const signingDevice = async (): Promise<SigningDevice> => ({
    // The outbox's device id: the server binds the device session to this tablet at sign-in.
    id: await getDeviceId(db),
    appVersion: options.appVersion ?? '',
  })

  async function signIn<A extends AuthAnswer>(
    obtain: (device: SigningDevice) => Promise<A>,
    accepted?: Accepted,
  ): Promise<A> {
    const answer = await obtain(await signingDevice())
    await adopt(answer, accepted)
    return answer
  }

  /** The tail of every sign-in: the device session stored, the pull started afresh. */
  async function adopt(answer: AuthAnswer, accepted?: Accepted): Promise<SessionPerson> {
    await accepted?.(answer.person)
    await saveSession(db, sessionFrom(answer))
    // Access gained since the last pull is not re-sent by the server: start from scratch.
    await saveCursor(db, null)
    await deleteMeta(db, WIPE_NOTICE_KEY)
    failures = 0
    await load()
    return answer.person
  }

  return {
    load,
    syncNow,
    getStatus: () => status.get(),
    subscribe: (listener) => status.subscribe(listener),
    refreshPending: async () => {
      status.set({ pending: await countWaiting(db) })
    },
    reportOffline: (offline) => {
      const state = status.get().state
      if (offline && (state === 'idle' || state === 'error' || state === 'syncing')) {
        status.set({ state: 'offline' })
      } else if (!offline && state === 'offline') {
        status.set({ state: 'idle' })
      }
    },
    dismissConflict: async (opId) => {
      status.set({ conflicts: await dismissConflict(db, opId) })
    },
    dispose: stopRetry,
    login: async (username, password, deviceName, accepted) => {
      const answer = await transport.login(username, password, deviceName, await signingDevice())
      if (isSecondFactorStep(answer)) throw new SecondFactorRequired(answer)
      return adopt(answer, accepted)
    },
    secondFactor: async (pendingToken, proof, accepted) => {
      const answer = await transport.secondFactor(pendingToken, proof)
      if (isSecondFactorStep(answer)) throw new SecondFactorRequired(answer)
      return adopt(answer, accepted)
    },
    startEnrolment: (pendingToken) => transport.startEnrolment(pendingToken),
    confirmEnrolment: async (pendingToken, code) => {
      const { recoveryCodes, ...answer } = await transport.confirmEnrolment(pendingToken, code)
      return { answer, recoveryCodes }
    },
    adopt: (answer, accepted) => adopt(answer, accepted),
    loginWith: signIn,
    logout: async (opts = {}) => {
      const pending = await countWaiting(db)
      if (pending > 0 && opts.force !== true) return { ok: false, pending }
      stopRetry()
      try {
        await call((token) => transport.logout(token))
      } catch {
        // The server ends an unused session by itself; the device forgets its tokens either way.
      }
      await clearSession(db)
      status.set({ state: 'logged-out', pending, lastError: null, nextRetryAt: null })
      return { ok: true }
    },
  }
}
