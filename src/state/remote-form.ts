// The client's remote form, from link to thanks. Stores in sessionStorage (this tab only): which
// link is open, the chosen language, and per link the form, its form token and the marks, until
// the answer is sent; then all of it is removed. No zustand: the page loads nothing it can spare.
import { normaliseShortCode, SHORT_CODE_ALPHABET } from '../core/remote-link-codes.ts'
import {
  type ClosedReason,
  formIn,
  type LinkRef,
  linkStatus,
  openForm,
  type RemoteForm,
  sendAnswer,
} from '../sync/remote-api.ts'

export type { ClosedReason, RemoteForm } from '../sync/remote-api.ts'

/** Words the page shows beside a field or button; the screen itself stays. */
export type Problem =
  | { kind: 'code-format' }
  | { kind: 'short-format' }
  | { kind: 'short-unknown' }
  | { kind: 'code-wrong'; attemptsLeft: number }
  | { kind: 'network' }
  | { kind: 'busy' }
  | { kind: 'failed' }
  | { kind: 'send-failed' }
  | { kind: 'send-invalid' }

export type Screen =
  | { kind: 'loading' }
  /** Status could not be read: words and "try again". */
  | { kind: 'unreachable'; problem: Problem }
  | { kind: 'short-code'; busy: boolean; problem: Problem | null }
  | { kind: 'code'; busy: boolean; problem: Problem | null }
  | {
      kind: 'form'
      form: RemoteForm
      marks: Record<string, number>
      busy: boolean
      problem: Problem | null
    }
  | { kind: 'thanks' }
  | { kind: 'closed'; reason: ClosedReason }

export interface RemoteState {
  screen: Screen
  /** The page's language; null until the link's (or the person's) is known. */
  locale: string | null
  organisation: string | null
  expiresAt: string | null
}

interface Kept {
  formToken: string
  formExpiresAt: string
  form: RemoteForm
  marks: Record<string, number>
}

const CURRENT = 'linja-remote:link'
const LOCALE = 'linja-remote:locale'
const keptKey = (link: LinkRef) =>
  'token' in link ? `linja-remote:t:${link.token}` : `linja-remote:s:${link.shortCode}`

function readJson<T>(key: string): T | null {
  try {
    const raw = sessionStorage.getItem(key)
    return raw === null ? null : (JSON.parse(raw) as T)
  } catch {
    return null
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value))
  } catch {
    // Storage off or full (a private window): the form still works, only a reload loses marks.
  }
}

function forget(key: string): void {
  try {
    sessionStorage.removeItem(key)
  } catch {
    // Nothing was kept.
  }
}

/** The short code as the server spells it, or null when what was typed cannot be one. */
export function shortCodeOf(typed: string): string | null {
  const plain = normaliseShortCode(typed)
  const valid = plain.length === 10 && [...plain].every((c) => SHORT_CODE_ALPHABET.includes(c))
  return valid ? plain : null
}

export function normaliseCode(typed: string): string | null {
  const plain = typed.replace(/\s/g, '')
  return /^\d{6}$/.test(plain) ? plain : null
}

type Listener = (state: RemoteState) => void

export class RemoteFormFlow {
  private state: RemoteState = {
    screen: { kind: 'loading' },
    locale: null,
    organisation: null,
    expiresAt: null,
  }
  private link: LinkRef | null = null
  private readonly listeners = new Set<Listener>()

  get current(): RemoteState {
    return this.state
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private set(patch: Partial<RemoteState>): void {
    this.state = { ...this.state, ...patch }
    for (const listener of this.listeners) listener(this.state)
  }

  /**
   * The token arrives in the URL's fragment; it is then kept in this tab's sessionStorage and taken
   * out of the address, so a reload finds it but the address bar and history no longer show it.
   */
  async start(hash: string, clearHash: () => void): Promise<void> {
    const chosen = readJson<string>(LOCALE)
    if (chosen) this.state = { ...this.state, locale: chosen }
    const token = hash.replace(/^#/, '')
    if (/^[A-Za-z0-9_-]{20,200}$/.test(token)) {
      writeJson(CURRENT, { token })
      clearHash()
    } else if (token) {
      clearHash()
      forget(CURRENT)
      this.set({ screen: { kind: 'closed', reason: 'unknown' } })
      return
    }
    this.link = readJson<LinkRef>(CURRENT)
    if (!this.link) {
      this.set({ screen: { kind: 'short-code', busy: false, problem: null } })
      return
    }
    await this.check()
  }

  /** Asks the server how the link stands; a kept form opens at once with its marks. */
  async check(): Promise<void> {
    const link = this.link
    if (!link) return
    this.set({ screen: { kind: 'loading' } })
    const status = await linkStatus(link)
    if (status.kind === 'closed') return this.close(status.reason)
    if (status.kind !== 'waiting') {
      this.set({ screen: { kind: 'unreachable', problem: status } })
      return
    }
    this.set({
      organisation: status.organisation,
      expiresAt: status.expiresAt,
      locale: this.state.locale ?? status.locale,
    })
    const kept = readJson<Kept>(keptKey(link))
    if (kept && Date.parse(kept.formExpiresAt) > Date.now()) {
      this.set({
        screen: { kind: 'form', form: kept.form, marks: kept.marks, busy: false, problem: null },
      })
      return
    }
    this.set({ screen: { kind: 'code', busy: false, problem: null } })
  }

  /** The page's words change at once; an open form's wording follows when the server sends it. */
  setLocale(locale: string): void {
    writeJson(LOCALE, locale)
    this.set({ locale })
    void this.formInLocale(locale)
  }

  private async formInLocale(locale: string): Promise<void> {
    const link = this.link
    const kept = link ? readJson<Kept>(keptKey(link)) : null
    if (!link || !kept || this.state.screen.kind !== 'form' || kept.form.locale === locale) return
    const form = await formIn(link, kept.formToken, locale)
    const screen = this.state.screen
    // Nothing to do if it failed (the form stays in the words it had), or the client has since
    // chosen another language, sent the form or left it.
    if (!form || this.state.locale !== locale || screen.kind !== 'form') return
    const now = readJson<Kept>(keptKey(link))
    if (now) writeJson(keptKey(link), { ...now, form })
    this.set({ screen: { ...screen, form } })
  }

  /** Opened at /r/ without a link: the short code and the code together. */
  async openWithShortCode(typedShort: string, typedCode: string): Promise<void> {
    const shortCode = shortCodeOf(typedShort)
    const code = normaliseCode(typedCode)
    const problem: Problem | null = !shortCode
      ? { kind: 'short-format' }
      : !code
        ? { kind: 'code-format' }
        : null
    if (problem || !shortCode || !code) {
      this.set({ screen: { kind: 'short-code', busy: false, problem } })
      return
    }
    this.set({ screen: { kind: 'short-code', busy: true, problem: null } })
    const link = { shortCode }
    const status = await linkStatus(link)
    if (status.kind === 'closed' && status.reason === 'unknown') {
      this.set({ screen: { kind: 'short-code', busy: false, problem: { kind: 'short-unknown' } } })
      return
    }
    if (status.kind === 'closed') return this.close(status.reason)
    if (status.kind !== 'waiting') {
      this.set({ screen: { kind: 'short-code', busy: false, problem: status } })
      return
    }
    this.link = link
    writeJson(CURRENT, link)
    this.set({
      organisation: status.organisation,
      expiresAt: status.expiresAt,
      locale: this.state.locale ?? status.locale,
    })
    await this.open(code, 'short-code')
  }

  async openWithCode(typedCode: string): Promise<void> {
    const code = normaliseCode(typedCode)
    if (!code) {
      this.set({ screen: { kind: 'code', busy: false, problem: { kind: 'code-format' } } })
      return
    }
    this.set({ screen: { kind: 'code', busy: true, problem: null } })
    await this.open(code, 'code')
  }

  private async open(code: string, from: 'code' | 'short-code'): Promise<void> {
    const link = this.link
    if (!link) return
    const result = await openForm(link, code, this.state.locale)
    if (result.kind === 'closed') return this.close(result.reason)
    if (result.kind !== 'opened') {
      const problem: Problem =
        result.kind === 'wrong-code'
          ? { kind: 'code-wrong', attemptsLeft: result.attemptsLeft }
          : result
      // A wrong code typed with a short code: the short code was right, so the code alone now.
      this.set({ screen: { kind: from === 'short-code' ? 'code' : from, busy: false, problem } })
      return
    }
    // Marks made before the form token ran out are kept (the code was asked again).
    const before = readJson<Kept>(keptKey(link))
    const kept: Kept = {
      formToken: result.formToken,
      formExpiresAt: result.expiresAt,
      form: result.form,
      marks: before?.marks ?? {},
    }
    writeJson(keptKey(link), kept)
    this.set({
      screen: { kind: 'form', form: kept.form, marks: kept.marks, busy: false, problem: null },
    })
  }

  mark(itemId: string, value: number): void {
    const link = this.link
    const screen = this.state.screen
    if (!link || screen.kind !== 'form') return
    const marks = { ...screen.marks, [itemId]: value }
    const kept = readJson<Kept>(keptKey(link))
    if (kept) writeJson(keptKey(link), { ...kept, marks })
    this.set({ screen: { ...screen, marks, problem: null } })
  }

  async send(): Promise<void> {
    const link = this.link
    const screen = this.state.screen
    if (!link || screen.kind !== 'form' || screen.busy) return
    const kept = readJson<Kept>(keptKey(link))
    if (!kept) {
      this.set({ screen: { kind: 'code', busy: false, problem: null } })
      return
    }
    this.set({ screen: { ...screen, busy: true, problem: null } })
    const result = await sendAnswer(link, kept.formToken, screen.marks, screen.form.locale)
    if (result.kind === 'sent') {
      this.forgetLink(link)
      this.set({ screen: { kind: 'thanks' } })
      return
    }
    if (result.kind === 'closed') return this.close(result.reason)
    if (result.kind === 'code-again') {
      writeJson(keptKey(link), { ...kept, formExpiresAt: new Date(0).toISOString() })
      this.set({ screen: { kind: 'code', busy: false, problem: null } })
      return
    }
    const problem: Problem =
      result.kind === 'invalid'
        ? { kind: 'send-invalid' }
        : result.kind === 'busy'
          ? result
          : { kind: 'send-failed' }
    this.set({ screen: { ...screen, busy: false, problem } })
  }

  /** A closed link shows words only, and nothing of it stays in the tab. */
  private close(reason: ClosedReason): void {
    if (this.link) this.forgetLink(this.link)
    this.set({ screen: { kind: 'closed', reason } })
  }

  private forgetLink(link: LinkRef): void {
    forget(keptKey(link))
    forget(CURRENT)
  }
}
