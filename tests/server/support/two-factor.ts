// An authenticator app for tests: real TOTP codes (otplib) from the secret the server gave at enrolment.
import type { FastifyInstance } from 'fastify'
import { generateSync } from 'otplib'

const PERIOD_MS = 30_000

/**
 * Codes for one enrolment, never two of the same time step (the server refuses a replay): the
 * current step, then the next (the server accepts one step ahead), then it waits for time to pass.
 */
let clock: (() => number) | null = null

/** For a test whose server runs on its own clock (appOn's `now`): codes are made for that time. */
export function twoFactorClock(now: (() => number) | null): void {
  clock = now
}

export class Authenticator {
  private lastStep = -1
  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    const now = Math.floor((clock ?? Date.now)() / PERIOD_MS)
    const step = Math.max(this.lastStep + 1, now)
    if (step > now + 1) {
      if (clock) throw new Error('two codes in one time step on a test clock: move the clock on')
      await new Promise((r) => setTimeout(r, (step - 1) * PERIOD_MS - Date.now() + 50))
    }
    this.lastStep = step
    return generateSync({ secret: this.secret, epoch: (step * PERIOD_MS) / 1000 })
  }
}

export interface SecondFactorStep {
  secondFactor: 'code' | 'enrol'
  pendingToken: string
}

type Post = (
  url: string,
  body: Record<string, unknown>,
) => Promise<{ status: number; body: unknown }>

/**
 * The latest enrolment of each username in this test file: a test that opens the same database
 * again (a restart) keeps it; a new database enrols again and replaces it.
 */
const enrolled = new Map<string, Authenticator>()

export function authenticatorOf(username: string): Authenticator | undefined {
  return enrolled.get(username)
}

export function rememberAuthenticator(username: string, secret: string): Authenticator {
  const auth = new Authenticator(secret)
  enrolled.set(username, auth)
  return auth
}

/** Finishes a sign-in the server answered with a second-factor step: enrols, or types a code. */
export async function passSecondFactor(
  post: Post,
  username: string,
  step: SecondFactorStep,
): Promise<unknown> {
  const { pendingToken } = step
  if (step.secondFactor === 'enrol') {
    const started = await post('/api/auth/login/enrolment', { pendingToken })
    if (started.status !== 200)
      throw new Error(`enrolment ${username}: ${JSON.stringify(started.body)}`)
    const auth = rememberAuthenticator(username, (started.body as { secret: string }).secret)
    const done = await post('/api/auth/login/enrolment/confirm', {
      pendingToken,
      code: await auth.code(),
    })
    if (done.status !== 200) throw new Error(`enrol ${username}: ${JSON.stringify(done.body)}`)
    return done.body
  }
  const auth = authenticatorOf(username)
  if (!auth) throw new Error(`${username} is enrolled, but not by this test`)
  const done = await post('/api/auth/login/code', { pendingToken, code: await auth.code() })
  if (done.status !== 200) throw new Error(`code ${username}: ${JSON.stringify(done.body)}`)
  return done.body
}

/** `post` for passSecondFactor through app.inject. */
export function injectPost(app: FastifyInstance): Post {
  return async (url, body) => {
    const res = await app.inject({ method: 'POST', url, payload: body })
    return { status: res.statusCode, body: res.json() }
  }
}
