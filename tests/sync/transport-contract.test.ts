// One contract suite for both transports: fetch over a real port, and app.inject() used by the other sync tests.
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../src/core/sync-protocol.ts'
import { httpTransport, SyncHttpError, type SyncTransport } from '../../src/sync/index.ts'
import {
  type AuthAnswer,
  isSecondFactorStep,
  type SecondFactorStep,
} from '../../src/sync/transport.ts'
import { PASSWORD } from '../server/support/world.ts'
import { injectTransport } from './support/inject-transport.ts'
import { addPractitioner, type SyncWorld, syncWorld } from './support/world.ts'

let world: SyncWorld
let pia: string
let baseUrl: string
beforeAll(async () => {
  world = await syncWorld()
  pia = await addPractitioner(world)
  await world.server.app.listen({ port: 0, host: '127.0.0.1' })
  const address = world.server.app.server.address() as AddressInfo
  baseUrl = `http://127.0.0.1:${address.port}`
})
afterAll(async () => {
  await world.close()
})

async function failure(promise: Promise<unknown>): Promise<SyncHttpError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof SyncHttpError) return error
    throw error
  }
  throw new Error('expected a SyncHttpError')
}

const transports: [string, () => SyncTransport][] = [
  ['httpTransport (fetch)', () => httpTransport(baseUrl)],
  ['in-memory inject transport', () => injectTransport(world.server.app)],
]

/** A practitioner needs no second factor here: the answer is the session itself. */
function sessionOf(answer: AuthAnswer | SecondFactorStep): AuthAnswer {
  if (isSecondFactorStep(answer))
    throw new Error(`unexpected second factor: ${answer.secondFactor}`)
  return answer
}

describe.each(transports)('SyncTransport contract: %s', (_name, make) => {
  it('S3/S13: logs in, pushes, pulls, refreshes (the refresh token rotates) and logs out', async () => {
    const t = make()
    const auth = sessionOf(await t.login(pia, PASSWORD, 'contract'))
    expect(auth.person.username).toBe(pia)
    expect(auth.serverEpoch).toEqual(expect.any(String))
    const empty = await t.push(auth.accessToken, {
      protocolVersion: PROTOCOL_VERSION,
      deviceId: '0190d6a0-0000-7000-8000-0000000000aa',
      operations: [],
    })
    expect(empty).toMatchObject({ results: [], serverEpoch: auth.serverEpoch })
    const page = await t.pull(auth.accessToken, null, 10)
    expect(page).toMatchObject({ hasMore: false, serverEpoch: auth.serverEpoch })
    expect(await t.pull(auth.accessToken, page.cursor, 10)).toMatchObject({ changes: [] })
    const again = await t.refresh(auth.refreshToken)
    expect(again.refreshToken).not.toBe(auth.refreshToken)
    expect((await failure(t.refresh(auth.refreshToken))).status).toBe(401)
    await t.logout(again.accessToken)
    const revoked = await failure(t.pull(again.accessToken, null, 10))
    expect(revoked).toMatchObject({ status: 401, code: 'device_revoked' })
  })

  it('errors carry the status, the stable code and the body', async () => {
    const t = make()
    const wrong = await failure(t.login(pia, 'not-the-password', 'contract'))
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' })
    const auth = sessionOf(await t.login(pia, PASSWORD, 'contract'))
    const bad = await failure(t.pull(auth.accessToken, 'not-a-cursor', 10))
    expect(bad).toMatchObject({ status: 400, code: 'invalid_cursor' })
    expect(bad.body.message).toEqual(expect.any(String))
  })
})

describe('httpTransport', () => {
  it('a server that cannot be reached is the code `network`', async () => {
    const error = await failure(httpTransport('http://127.0.0.1:9').pull('token', null, 10))
    expect(error).toMatchObject({ status: 0, code: 'network' })
  })

  it('S1: sends the protocol header on pull and the version in the push body', async () => {
    const seen: { url: string; init: RequestInit }[] = []
    const t = httpTransport('https://linja.example', async (url, init) => {
      seen.push({ url, init })
      return new Response(JSON.stringify({ error: 'update_required', message: 'old' }), {
        status: 426,
      })
    })
    const error = await failure(t.pull('tok', 'c1', 50))
    expect(error).toMatchObject({ status: 426, code: 'update_required' })
    expect(seen[0]?.url).toBe('https://linja.example/api/sync/pull?limit=50&cursor=c1')
    expect(seen[0]?.init.headers).toMatchObject({
      'x-linja-protocol': '2',
      authorization: 'Bearer tok',
    })
  })
})
