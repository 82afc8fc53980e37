// Talks to the real server's API from the test (as an administrator or a practitioner).
import {
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullResponse,
} from '../../../src/core/sync-protocol.ts'
import { passSecondFactor, type SecondFactorStep } from '../../server/support/two-factor.ts'

export const ADMIN_PASSWORD = 'admin-test-password-1'

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`)
  return body
}

/**
 * Sessions of people who showed a second factor (admins): kept for ten minutes, since a person
 * can sign in only about twice per 30-second step (the server refuses a code's replay).
 */
const twoFactorSessions = new Map<string, { token: string; until: number }>()

export async function login(url: string, username: string, password: string): Promise<string> {
  const key = `${url}\n${username}\n${password}`
  const kept = twoFactorSessions.get(key)
  if (kept && kept.until > Date.now()) return kept.token
  const post = async (path: string, body: Record<string, unknown>) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as unknown }
  }
  const first = await post('/api/auth/login', { username, password, deviceName: 'test runner' })
  if (first.status !== 200) throw new Error(`${first.status} ${JSON.stringify(first.body)}`)
  const answer = first.body as { accessToken?: string } & Partial<SecondFactorStep>
  if (answer.secondFactor === undefined) return answer.accessToken ?? ''
  const done = (await passSecondFactor(post, username, answer as SecondFactorStep)) as {
    accessToken: string
  }
  twoFactorSessions.set(key, { token: done.accessToken, until: Date.now() + 10 * 60_000 })
  return done.accessToken
}

export function createPractitioner(url: string, username: string, password: string) {
  return createPerson(url, username, password, ['practitioner'])
}

/** A staff member made by the administrator, named `Test <username>`. */
export async function createPerson(
  url: string,
  username: string,
  password: string,
  roles: readonly ('practitioner' | 'supervisor' | 'leader' | 'admin')[],
): Promise<string> {
  const admin = await login(url, 'admin', ADMIN_PASSWORD)
  const res = await fetch(`${url}/api/admin/people`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({
      username,
      displayName: `Test ${username}`,
      password,
      roles,
    }),
  })
  return (await json<{ id: string }>(res)).id
}

/** Everything the person may see, from a full pull: counts by entity and the ids. */
export async function serverRecords(url: string, username: string, password: string) {
  return serverRecordsWith(url, await login(url, username, password))
}

/** The same with a token already held: for polling without a login each time (rate-limited). */
export async function serverRecordsWith(url: string, token: string) {
  const changes: PullResponse['changes'] = []
  let cursor: string | null = null
  for (;;) {
    const q: string = cursor ? `?cursor=${encodeURIComponent(cursor)}&limit=500` : '?limit=500'
    const res = await fetch(`${url}/api/sync/pull${q}`, {
      headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    })
    const page = await json<PullResponse>(res)
    changes.push(...page.changes)
    cursor = page.cursor
    if (!page.hasMore) break
  }
  type Change = PullResponse['changes'][number]
  const of = <E extends Change['entity']>(entity: E) =>
    changes.filter((c): c is Extract<Change, { entity: E }> => c.entity === entity)
  return {
    clients: of('client'),
    episodes: of('episode'),
    administrations: of('administration'),
    ids: changes.map((c) => c.id),
  }
}

/** The administrator disconnects every tablet the person is signed in on (a lost tablet), as the admin screen does. */
export async function revokeDevicesOf(url: string, personId: string): Promise<number> {
  const admin = await login(url, 'admin', ADMIN_PASSWORD)
  const headers = { authorization: `Bearer ${admin}` }
  const people = await json<{ id: string; displayName: string }[]>(
    await fetch(`${url}/api/admin/people`, { headers }),
  )
  const name = people.find((p) => p.id === personId)?.displayName
  const tablets = await json<{ id: string; people: string[]; active: boolean }[]>(
    await fetch(`${url}/api/admin/tablets`, { headers }),
  )
  const theirs = tablets.filter((t) => t.active && name !== undefined && t.people.includes(name))
  for (const t of theirs) {
    await json(
      await fetch(`${url}/api/admin/tablets/${encodeURIComponent(t.id)}/revoke`, {
        method: 'POST',
        headers,
      }),
    )
  }
  return theirs.length
}

/**
 * Another tablet of `username` corrects the client's newest form on the server (a correction the
 * test's own tablet has not seen): the tablet's next correction of that form is then a conflict.
 */
export async function correctOnAnotherTablet(
  url: string,
  username: string,
  password: string,
  clientCode: string,
): Promise<void> {
  const token = await login(url, username, password)
  const res = await fetch(`${url}/api/sync/pull?limit=1000`, {
    headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
  })
  const { changes } = await json<PullResponse>(res)
  const client = changes.find((c) => c.entity === 'client' && c.payload.code === clientCode)
  const form = changes.find(
    (c): c is Extract<typeof c, { entity: 'administration' }> =>
      c.entity === 'administration' &&
      c.clientId === client?.id &&
      c.supersededBy === null &&
      !c.voided,
  )
  if (!form) throw new Error(`no form of ${clientCode} on the server`)
  const deviceId = crypto.randomUUID()
  const id = crypto.randomUUID()
  const now = new Date().toISOString()
  const payload = {
    ...form.payload,
    id,
    versionOf: form.payload.versionOf ?? form.id,
    supersedes: form.id,
    correctionReason: 'other tablet',
    createdAt: now,
    updatedAt: now,
  }
  const push = await fetch(`${url}/api/sync/push`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    },
    body: JSON.stringify({
      protocolVersion: PROTOCOL_VERSION,
      deviceId,
      operations: [
        {
          seq: 1,
          opId: crypto.randomUUID(),
          deviceId,
          entity: 'administration',
          entityId: id,
          op: 'correct',
          payload,
          baseVersion: form.id,
          createdAt: now,
        },
      ],
    }),
  })
  const answer = await json<{ results: { status: string }[] }>(push)
  if (answer.results[0]?.status !== 'applied')
    throw new Error(`correction: ${JSON.stringify(answer)}`)
}

/** A remote link as the practitioner's "Send lenke" makes it; the url, short code and code once. */
export interface CreatedRemoteLink {
  link: { id: string; state: string }
  url: string
  shortCode: string
  code: string
}

export async function createRemoteLink(
  url: string,
  token: string,
  body: {
    clientId: string
    episodeId: string
    session: number
    instrumentId: string
    rater: string
    locale: string
    delivery: { channel: 'email' | 'sms' | 'show'; to?: string; code: 'tell' | 'message' }
  },
): Promise<CreatedRemoteLink> {
  const res = await fetch(`${url}/api/remote-links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  return json<CreatedRemoteLink>(res)
}

export async function revokeRemoteLink(url: string, token: string, id: string): Promise<void> {
  await json(
    await fetch(`${url}/api/remote-links/${encodeURIComponent(id)}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    }),
  )
}
