// The sync engine as the UI sees it: status, the signed-in person, and the actions behind the buttons.
import { create } from 'zustand'
import {
  type AuthAnswer,
  createSyncEngine,
  exchangeOidcCode,
  httpTransport,
  type LogoutResult,
  loadSession,
  type SecondFactorProof,
  type SyncEngine,
  type SyncScheduler,
  type SyncStatus,
  startSyncScheduler,
  type TotpEnrolment,
} from '../sync/index.ts'
import type { SessionPerson } from '../sync/transport.ts'
import { database } from './database.ts'
import { loadDeviceName, saveDeviceName } from './device-name.ts'
import {
  closeDataBeforeSession,
  keyAfterLogin,
  lockNow,
  onUnlock,
  proveLocalPin,
  refreshLock,
} from './lock-store.ts'
import { loadOrgSettings, refreshOrgSettings } from './org-settings-store.ts'
import { askPersistenceOnce } from './storage-status.ts'
import { loadTextPack, refreshTextPack } from './text-pack-store.ts'

export type { AuthAnswer, SecondFactorStep, TotpEnrolment } from '../sync/index.ts'
export { SecondFactorRequired } from '../sync/index.ts'
export type { SessionPerson, SyncStatus }

interface SyncStoreState {
  status: SyncStatus | null
  person: SessionPerson | null
}

export const useSyncStore = create<SyncStoreState>()(() => ({ status: null, person: null }))

let engine: SyncEngine | null = null
let scheduler: SyncScheduler | null = null

function theEngine(): SyncEngine {
  if (!engine) {
    engine = createSyncEngine({
      db: database(),
      transport: httpTransport(),
      appVersion: String(import.meta.env.VITE_APP_VERSION ?? ''),
    })
  }
  return engine
}

async function refreshPerson(): Promise<void> {
  const session = await loadSession(database())
  useSyncStore.setState({ person: session?.person ?? null })
}

/** Loads the stored session and starts the triggers (start, online, visible, periodic). */
export async function startSync(): Promise<void> {
  const e = theEngine()
  await Promise.all([loadTextPack(), loadOrgSettings()])
  useSyncStore.setState({ status: await e.load() })
  let lastSuccess = e.getStatus().lastSuccessAt
  e.subscribe((status) => {
    useSyncStore.setState({ status })
    if (status.state === 'revoked' || status.state === 'logged-out') void refreshPerson()
    // A wipe took the keyring: the key in memory must go with it.
    if (status.state === 'revoked') lockNow()
    // After each successful sync, the organisation's current text pack comes along.
    if (status.lastSuccessAt && status.lastSuccessAt !== lastSuccess) {
      lastSuccess = status.lastSuccessAt
      refreshTextPack().catch(() => undefined)
      refreshOrgSettings().catch(() => undefined)
    }
  })
  await refreshPerson()
  scheduler = startSyncScheduler(e)
  // Locked, the outbox cannot be read: what waits goes out as soon as the PIN opens it.
  onUnlock(() => {
    void scheduler?.syncNow()
  })
}

/**
 * `localPin`: the PIN of the data this tablet stored before anyone signed in, when it is the
 * signing-in person's (checked first, offline; a wrong one changes nothing and throws LocalPinError).
 */
export async function login(
  username: string,
  password: string,
  deviceName: string,
  localPin?: string,
): Promise<void> {
  if (localPin) await proveLocalPin(localPin)
  // Throws SecondFactorRequired when the server asks a code or an enrolment first.
  const person = await theEngine().login(username, password, deviceName, accepted(localPin))
  await afterSignIn(person, { password, deviceName, localPin })
}

/** What a sign-in's later steps need from its first: the password opens the key on the device. */
export interface SignInCredentials {
  password: string
  deviceName: string
  localPin?: string | undefined
}

function accepted(localPin: string | undefined) {
  return () => {
    // Not taking over the tablet's local data: once the server has accepted the sign-in, that
    // data closes before the session is stored, so no sync in between can send it under the new
    // login. (A refused password or code changes nothing.)
    if (!localPin) closeDataBeforeSession()
  }
}

async function afterSignIn(person: SessionPerson, credentials: SignInCredentials): Promise<void> {
  // The tablet's name is asked only at its first sign-in.
  if ((await loadDeviceName()) === null) await saveDeviceName(credentials.deviceName)
  // The server accepted the password: it opens (or makes) this person's key on the device.
  await keyAfterLogin(person, credentials.password, credentials.localPin || undefined)
  useSyncStore.setState({ person })
  await scheduler?.syncNow()
}

/**
 * Finishes a sign-in with the municipality's account on this tablet: the one-time code and the
 * tablet's secret buy the device session, then everything goes as after a password (the key is
 * opened or made with the person's recovery secret, and the PIN step follows on a new tablet).
 */
export async function loginWithDirectory(
  code: string,
  tabletSecret: string,
  deviceName: string,
): Promise<void> {
  const answer = await theEngine().loginWith(
    (device) => exchangeOidcCode({ code, tabletSecret, deviceName }, device),
    () => closeDataBeforeSession(),
  )
  if ((await loadDeviceName()) === null) await saveDeviceName(deviceName)
  await keyAfterLogin(answer.person, answer.recoverySecret)
  useSyncStore.setState({ person: answer.person })
  await scheduler?.syncNow()
}

/** The code step of a sign-in; throws SecondFactorRequired when a recovery code leads on to enrolment. */
export async function signInWithSecondFactor(
  pendingToken: string,
  proof: SecondFactorProof,
  credentials: SignInCredentials,
): Promise<void> {
  const person = await theEngine().secondFactor(pendingToken, proof, accepted(credentials.localPin))
  await afterSignIn(person, credentials)
}

export function startEnrolment(pendingToken: string): Promise<TotpEnrolment> {
  return theEngine().startEnrolment(pendingToken)
}

/** The first code from the app: answers the recovery codes; `finishEnrolment` then signs in. */
export function confirmEnrolment(
  pendingToken: string,
  code: string,
): Promise<{ answer: AuthAnswer; recoveryCodes: string[] }> {
  return theEngine().confirmEnrolment(pendingToken, code)
}

export async function finishEnrolment(
  answer: AuthAnswer,
  credentials: SignInCredentials,
): Promise<void> {
  const person = await theEngine().adopt(answer, accepted(credentials.localPin))
  await afterSignIn(person, credentials)
}

export async function logout(force: boolean): Promise<LogoutResult> {
  const result = await theEngine().logout({ force })
  if (result.ok) {
    useSyncStore.setState({ person: null })
    lockNow()
    await refreshLock()
  }
  return result
}

export async function syncNow(): Promise<void> {
  await (scheduler?.syncNow() ?? theEngine().syncNow('manual'))
}

export async function dismissConflict(opId: string): Promise<void> {
  await theEngine().dismissConflict(opId)
}

/**
 * After anything is saved on the device: ask the browser to keep the data (once), count what
 * waits, and sync soon when online.
 */
export function afterLocalWrite(): void {
  void askPersistenceOnce()
  if (!engine) return
  void engine.refreshPending()
  scheduler?.syncSoon()
}
