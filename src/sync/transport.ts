// The sync server's HTTP API as a typed contract, and its fetch implementation (docs/sync-protocol.md).
import {
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type Role,
} from '../core/sync-protocol.ts'
import { errorBody, errorFromAnswer, networkError } from './errors.ts'

export interface SessionPerson {
  id: string
  username: string
  displayName: string
  roles: Role[]
  /** An administrator set the password: the person chooses their own before anything else. */
  mustChangePassword?: boolean
}

/** The answer to login and refresh (refresh rotates the refresh token too, S3). */
export interface AuthAnswer {
  accessToken: string
  accessTokenExpiresAt: string
  refreshToken: string
  deviceSessionId: string
  person: SessionPerson
  serverEpoch: string
}

/**
 * The password was right and the server asks a second factor before any device session: a code
 * from the authenticator app ('code'), or enrolling one first ('enrol'). `pendingToken` carries
 * the sign-in to the next step (it is short-lived and opens nothing else).
 */
export interface SecondFactorStep {
  secondFactor: 'code' | 'enrol'
  pendingToken: string
  expiresAt: string
}

/** What the authenticator app needs: the secret to type, or the same as a QR code (SVG). */
export interface TotpEnrolment {
  secret: string
  otpauthUri: string
  qrSvg: string
}

export type SecondFactorProof = { code: string } | { recoveryCode: string }

export function isSecondFactorStep(
  answer: AuthAnswer | SecondFactorStep,
): answer is SecondFactorStep {
  return 'secondFactor' in answer
}

/**
 * Every call resolves with the server's answer or throws a SyncHttpError: the server's error code,
 * or `network` when no answer arrived (the request may still have reached the server).
 */
/** The tablet signing in: its own id (the one its outbox sends) and the app's version. */
export interface SigningDevice {
  id: string
  appVersion?: string
}

export interface SyncTransport {
  login(
    username: string,
    password: string,
    deviceName: string,
    device?: SigningDevice,
  ): Promise<AuthAnswer | SecondFactorStep>
  /** The second step of a sign-in: a code, or a recovery code (which may lead on to enrolment). */
  secondFactor(
    pendingToken: string,
    proof: SecondFactorProof,
  ): Promise<AuthAnswer | SecondFactorStep>
  startEnrolment(pendingToken: string): Promise<TotpEnrolment>
  /** The first code from the app ends the enrolment: the session, and the recovery codes shown once. */
  confirmEnrolment(
    pendingToken: string,
    code: string,
  ): Promise<AuthAnswer & { recoveryCodes: string[] }>
  refresh(refreshToken: string): Promise<AuthAnswer>
  logout(accessToken: string): Promise<void>
  push(accessToken: string, request: PushRequest): Promise<PushResponse>
  pull(accessToken: string, cursor: string | null, limit: number): Promise<PullResponse>
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>

async function call<T>(fetchFn: FetchLike, url: string, init: RequestInit): Promise<T> {
  let response: Response
  let body: unknown
  try {
    response = await fetchFn(url, init)
    const text = await response.text()
    body = !response.ok ? errorBody(text) : text === '' ? null : (JSON.parse(text) as unknown)
  } catch (error) {
    // No answer, a cut connection or a body that did not arrive whole: the same to the caller.
    throw networkError(error)
  }
  if (!response.ok) {
    throw errorFromAnswer(response.status, body, response.headers.get('retry-after'))
  }
  return body as T
}

function headers(accessToken?: string): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  }
  if (accessToken !== undefined) h.authorization = `Bearer ${accessToken}`
  return h
}

/** The real transport: fetch against `baseUrl` (empty = the app's own origin). */
export function httpTransport(
  baseUrl = '',
  fetchFn: FetchLike = (u, i) => fetch(u, i),
): SyncTransport {
  const post = <T>(path: string, body: unknown, token?: string) =>
    call<T>(fetchFn, `${baseUrl}${path}`, {
      method: 'POST',
      headers: headers(token),
      body: JSON.stringify(body),
    })
  return {
    login: (username, password, deviceName, device) =>
      post<AuthAnswer | SecondFactorStep>('/api/auth/login', {
        username,
        password,
        deviceName,
        ...(device ? { deviceId: device.id } : {}),
        ...(device?.appVersion ? { appVersion: device.appVersion } : {}),
      }),
    secondFactor: (pendingToken, proof) =>
      post<AuthAnswer | SecondFactorStep>('/api/auth/login/code', { pendingToken, ...proof }),
    startEnrolment: (pendingToken) =>
      post<TotpEnrolment>('/api/auth/login/enrolment', { pendingToken }),
    confirmEnrolment: (pendingToken, code) =>
      post<AuthAnswer & { recoveryCodes: string[] }>('/api/auth/login/enrolment/confirm', {
        pendingToken,
        code,
      }),
    refresh: (refreshToken) => post<AuthAnswer>('/api/auth/refresh', { refreshToken }),
    logout: async (accessToken) => {
      await call<unknown>(fetchFn, `${baseUrl}/api/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}` },
      })
    },
    push: (accessToken, request) => post<PushResponse>('/api/sync/push', request, accessToken),
    pull: (accessToken, cursor, limit) => {
      const query = new URLSearchParams({ limit: String(limit) })
      if (cursor !== null) query.set('cursor', cursor)
      return call<PullResponse>(fetchFn, `${baseUrl}/api/sync/pull?${query.toString()}`, {
        method: 'GET',
        headers: {
          authorization: `Bearer ${accessToken}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        },
      })
    },
  }
}

/** The identity provider's sign-in answer: a device session, and what wraps the tablet's key. */
export interface DirectoryAuthAnswer extends AuthAnswer {
  recoverySecret: string
}

/**
 * The tablet trades the one-time code the provider's return brought (in the address's #fragment)
 * and the secret only it holds for a device session (docs/identity.md).
 */
export function exchangeOidcCode(
  body: { code: string; tabletSecret: string; deviceName: string },
  device: SigningDevice,
  baseUrl = '',
  fetchFn: FetchLike = (u, i) => fetch(u, i),
): Promise<DirectoryAuthAnswer> {
  return call<DirectoryAuthAnswer>(fetchFn, `${baseUrl}/api/auth/oidc/exchange`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({
      ...body,
      deviceId: device.id,
      ...(device.appVersion ? { appVersion: device.appVersion } : {}),
    }),
  })
}

/** Starts a sign-in with the municipality's account: the provider's address to open. */
export function startOidcSignIn(
  tabletHash: string,
  baseUrl = '',
  fetchFn: FetchLike = (u, i) => fetch(u, i),
): Promise<{ authorizationUrl: string }> {
  return call(fetchFn, `${baseUrl}/api/auth/oidc/start`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ tabletHash }),
  })
}

/** Whether this server offers sign-in with the municipality's account (false when it cannot be asked). */
export async function oidcOffered(
  baseUrl = '',
  fetchFn: FetchLike = (u, i) => fetch(u, i),
): Promise<boolean> {
  try {
    const answer = await call<{ enabled: boolean }>(fetchFn, `${baseUrl}/api/auth/oidc`, {
      method: 'GET',
      headers: headers(),
    })
    return answer.enabled === true
  } catch {
    return false
  }
}
