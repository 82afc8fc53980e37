// The public remote-form API as the client's page calls it (no sign-in). The link's token or short
// code travels only in JSON bodies, never in a path or query, so no log or Referer carries it.
// Types only from the core's schemas: importing the schemas would bring the schema library along.
import type { RemoteForm } from '../core/remote-links.ts'

export type { RemoteForm }

/** The link as the page knows it: the token from the URL's fragment, or the short code typed in. */
export type LinkRef = { token: string } | { shortCode: string }

export type ClosedReason = 'expired' | 'used' | 'revoked' | 'locked' | 'unknown'

export type StatusResult =
  | { kind: 'waiting'; organisation: string; expiresAt: string; locale: string }
  | { kind: 'closed'; reason: ClosedReason }
  | Trouble

export type OpenResult =
  | { kind: 'opened'; formToken: string; expiresAt: string; form: RemoteForm }
  | { kind: 'wrong-code'; attemptsLeft: number }
  | { kind: 'closed'; reason: ClosedReason }
  | Trouble

export type AnswerResult =
  | { kind: 'sent' }
  | { kind: 'closed'; reason: ClosedReason }
  /** The form token is no longer accepted (expired after hours away): the code again. */
  | { kind: 'code-again' }
  | { kind: 'invalid' }
  | Trouble

/** No answer (offline), too many tries, or a server fault: words, and the person may try again. */
export type Trouble = { kind: 'network' } | { kind: 'busy' } | { kind: 'failed' }

const CLOSED_CODES: Record<string, ClosedReason> = {
  link_expired: 'expired',
  link_used: 'used',
  link_revoked: 'revoked',
  link_locked: 'locked',
  link_unknown: 'unknown',
}

interface Answer {
  status: number
  body: Record<string, unknown>
}

async function post(path: string, body: object): Promise<Answer | Trouble> {
  let response: Response
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    })
  } catch {
    return { kind: 'network' }
  }
  if (response.status === 429) return { kind: 'busy' }
  let parsed: unknown = null
  try {
    parsed = await response.json()
  } catch {
    // A proxy's HTML error page, or a cut connection.
  }
  if (response.status >= 500 || typeof parsed !== 'object' || parsed === null) {
    return { kind: 'failed' }
  }
  return { status: response.status, body: parsed as Record<string, unknown> }
}

function isTrouble(a: Answer | Trouble): a is Trouble {
  return 'kind' in a
}

/** The server's stable refusal code (its error handler sends it as `error`). */
function refusal(a: Answer): string | null {
  const code = a.body.error
  return typeof code === 'string' ? code : null
}

function closedReason(a: Answer): ClosedReason | null {
  return CLOSED_CODES[refusal(a) ?? ''] ?? null
}

export async function linkStatus(link: LinkRef): Promise<StatusResult> {
  const a = await post('/api/remote/status', link)
  if (isTrouble(a)) return a
  const reason = closedReason(a)
  if (reason) return { kind: 'closed', reason }
  const { organisation, expiresAt, locale } = a.body
  if (a.status === 200 && typeof organisation === 'string' && typeof expiresAt === 'string') {
    return { kind: 'waiting', organisation, expiresAt, locale: String(locale ?? 'nb') }
  }
  return a.status === 400 ? { kind: 'closed', reason: 'unknown' } : { kind: 'failed' }
}

export async function openForm(
  link: LinkRef,
  code: string,
  locale: string | null,
): Promise<OpenResult> {
  const a = await post('/api/remote/open', { ...link, code, ...(locale ? { locale } : {}) })
  if (isTrouble(a)) return a
  const reason = closedReason(a)
  if (reason) return { kind: 'closed', reason }
  if (a.status === 401 && refusal(a) === 'code_wrong') {
    return { kind: 'wrong-code', attemptsLeft: Number(a.body.attemptsLeft ?? 0) }
  }
  const { formToken, expiresAt, form } = a.body
  if (a.status === 200 && typeof formToken === 'string' && typeof form === 'object' && form) {
    return { kind: 'opened', formToken, expiresAt: String(expiresAt), form: form as RemoteForm }
  }
  return { kind: 'failed' }
}

/** The opened form's wording in the language the client switched to; null when it cannot be had. */
export async function formIn(
  link: LinkRef,
  formToken: string,
  locale: string,
): Promise<RemoteForm | null> {
  const a = await post('/api/remote/form', { ...link, formToken, locale })
  if (isTrouble(a) || a.status !== 200) return null
  const { form } = a.body
  return typeof form === 'object' && form ? (form as RemoteForm) : null
}

export async function sendAnswer(
  link: LinkRef,
  formToken: string,
  items: Record<string, number>,
  locale: string,
): Promise<AnswerResult> {
  const a = await post('/api/remote/answer', { ...link, formToken, items, locale })
  if (isTrouble(a)) return a
  const reason = closedReason(a)
  if (reason) return { kind: 'closed', reason }
  if (a.status === 201 || a.status === 200) return { kind: 'sent' }
  if (a.status === 401 || a.status === 403) return { kind: 'code-again' }
  if (a.status === 400) return { kind: 'invalid' }
  return { kind: 'failed' }
}
