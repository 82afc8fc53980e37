// A SyncTransport over the in-process server's app.inject(), with faults a test can arm: drop, lose the answer, repeat, delay.
import type { FastifyInstance } from 'fastify'
import {
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../../../src/core/sync-protocol.ts'
import { errorFromAnswer, networkError } from '../../../src/sync/errors.ts'
import type {
  AuthAnswer,
  SecondFactorStep,
  SyncTransport,
  TotpEnrolment,
} from '../../../src/sync/transport.ts'

export const FAULTS = ['drop-request', 'drop-response', 'deliver-twice', 'delay'] as const
/**
 * drop-request: never reaches the server. drop-response: the server handles it, the answer is
 * lost. deliver-twice: the server gets it twice, the device sees the second answer. delay: the
 * device sees a lost request, and the server gets it later, after the device's next request
 * (a retry overtaking a slow original: reordering).
 */
export type Fault = (typeof FAULTS)[number]
export type Route = 'login' | 'refresh' | 'logout' | 'push' | 'pull'

export interface Exchange {
  route: Route
  status: number
  cursor?: string | null
  operations?: number
  delivered: boolean
}

export interface InjectTransport extends SyncTransport {
  /** Faults for the next requests of a route, used in order. */
  arm: (route: Route, ...faults: Fault[]) => void
  /** Forgets faults armed but not used. */
  disarm: () => void
  /** Delivers held (delayed) requests now. */
  flushDelayed: () => Promise<void>
  /** Every request the device made, in order. */
  log: Exchange[]
  /** The protocol version it claims (to test S1). */
  protocol: number
  /** Points the transport at another app (a restarted server). */
  setApp: (app: FastifyInstance) => void
}

interface Answer {
  status: number
  body: unknown
}

export function injectTransport(initialApp: FastifyInstance): InjectTransport {
  let app = initialApp
  const armed: Record<Route, Fault[]> = { login: [], refresh: [], logout: [], push: [], pull: [] }
  let held: (() => Promise<Answer>)[] = []
  const log: Exchange[] = []

  async function flushDelayed(): Promise<void> {
    const now = held
    held = []
    for (const deliver of now) await deliver()
  }

  async function send(
    route: Route,
    request: () => Promise<Answer>,
    entry: Omit<Exchange, 'route' | 'status' | 'delivered'> = {},
  ): Promise<unknown> {
    const fault = armed[route].shift()
    const record = (status: number, delivered: boolean) =>
      log.push({ route, status, delivered, ...entry })
    if (fault === 'drop-request') {
      record(0, false)
      throw networkError(new Error('request dropped'))
    }
    if (fault === 'delay') {
      held.push(request)
      record(0, false)
      throw networkError(new Error('request delayed'))
    }
    let answer = await request()
    // A request made after a delayed one reaches the server first; then the old one arrives.
    await flushDelayed()
    if (fault === 'deliver-twice') answer = await request()
    if (fault === 'drop-response') {
      record(answer.status, true)
      throw networkError(new Error('response lost'))
    }
    record(answer.status, true)
    if (answer.status < 200 || answer.status >= 300)
      throw errorFromAnswer(answer.status, answer.body)
    return answer.body
  }

  const transport: InjectTransport = {
    log,
    protocol: PROTOCOL_VERSION,
    arm: (route, ...faults) => {
      armed[route].push(...faults)
    },
    disarm: () => {
      for (const route of Object.keys(armed) as Route[]) armed[route] = []
    },
    flushDelayed,
    setApp: (next) => {
      app = next
    },
    async login(username, password, deviceName, device) {
      const body = { username, password, deviceName, ...(device ? { deviceId: device.id } : {}) }
      const run = () => inject('POST', '/api/auth/login', body)
      return (await send('login', run)) as AuthAnswer | SecondFactorStep
    },
    async secondFactor(pendingToken, proof) {
      const run = () => inject('POST', '/api/auth/login/code', { pendingToken, ...proof })
      return (await send('login', run)) as AuthAnswer | SecondFactorStep
    },
    async startEnrolment(pendingToken) {
      const run = () => inject('POST', '/api/auth/login/enrolment', { pendingToken })
      return (await send('login', run)) as TotpEnrolment
    },
    async confirmEnrolment(pendingToken, code) {
      const run = () => inject('POST', '/api/auth/login/enrolment/confirm', { pendingToken, code })
      return (await send('login', run)) as AuthAnswer & { recoveryCodes: string[] }
    },
    async refresh(refreshToken) {
      const run = () => inject('POST', '/api/auth/refresh', { refreshToken })
      return (await send('refresh', run)) as AuthAnswer
    },
    async logout(accessToken) {
      await send('logout', () => inject('POST', '/api/auth/logout', undefined, accessToken))
    },
    async push(accessToken, request: PushRequest) {
      const body = { ...request, protocolVersion: transport.protocol }
      const run = () => inject('POST', '/api/sync/push', body, accessToken)
      return (await send('push', run, { operations: request.operations.length })) as PushResponse
    },
    async pull(accessToken, cursor, limit) {
      const query = new URLSearchParams({ limit: String(limit) })
      if (cursor !== null) query.set('cursor', cursor)
      const run = () => inject('GET', `/api/sync/pull?${query.toString()}`, undefined, accessToken)
      return (await send('pull', run, { cursor })) as PullResponse
    },
  }

  async function inject(
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    accessToken?: string,
  ): Promise<Answer> {
    const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(transport.protocol) }
    if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`
    const res = await app.inject(
      payload === undefined
        ? { method, url, headers }
        : { method, url, headers, payload: payload as object },
    )
    return {
      status: res.statusCode,
      body: res.body === '' ? null : (JSON.parse(res.body) as unknown),
    }
  }

  return transport
}
