// A small organisation made through the admin API: two practitioners, a supervisor of one, a leader, an admin.
import type { FastifyInstance } from 'fastify'
import type { Role } from '../../../src/core/sync-protocol.ts'
import { injectPost, passSecondFactor, type SecondFactorStep } from './two-factor.ts'

export interface Session {
  personId: string
  accessToken: string
  refreshToken: string
  deviceSessionId: string
  headers: Record<string, string>
}

export async function login(
  app: FastifyInstance,
  username: string,
  password: string,
  deviceName = 'test tablet',
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, deviceName },
  })
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
  let answer = res.json<object>()
  // Admins (and everyone, when the organisation says so) show a second factor: a real TOTP code.
  if ('secondFactor' in answer) {
    answer = (await passSecondFactor(
      injectPost(app),
      username,
      answer as SecondFactorStep,
    )) as object
  }
  const body = answer as {
    accessToken: string
    refreshToken: string
    deviceSessionId: string
    person: { id: string }
  }
  return {
    personId: body.person.id,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    deviceSessionId: body.deviceSessionId,
    headers: { authorization: `Bearer ${body.accessToken}`, 'x-linja-protocol': '1' },
  }
}

export const PASSWORD = 'a-long-password-1'

export async function addPerson(
  app: FastifyInstance,
  admin: Session,
  username: string,
  roles: Role[],
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/admin/people',
    headers: admin.headers,
    payload: { username, displayName: username, password: PASSWORD, roles },
  })
  if (res.statusCode !== 201) throw new Error(`add ${username}: ${res.statusCode} ${res.body}`)
  return res.json<{ id: string }>().id
}

export interface World {
  admin: Session
  pia: Session
  ola: Session
  vera: Session
  lars: Session
}

/** pia and ola practise; vera supervises pia (not ola); lars leads; admin administers. */
export async function makeWorld(app: FastifyInstance): Promise<World> {
  const admin = await login(app, 'admin', 'admin-password-1')
  await addPerson(app, admin, 'pia', ['practitioner'])
  await addPerson(app, admin, 'ola', ['practitioner'])
  await addPerson(app, admin, 'vera', ['supervisor'])
  await addPerson(app, admin, 'lars', ['leader'])
  const pia = await login(app, 'pia', PASSWORD)
  const vera = await login(app, 'vera', PASSWORD)
  const res = await app.inject({
    method: 'POST',
    url: '/api/admin/supervision',
    headers: admin.headers,
    payload: { supervisorId: vera.personId, practitionerId: pia.personId },
  })
  if (res.statusCode !== 200) throw new Error(`supervision: ${res.body}`)
  return {
    admin,
    pia,
    ola: await login(app, 'ola', PASSWORD),
    vera,
    lars: await login(app, 'lars', PASSWORD),
  }
}
