// Client mode: which form the client is marking. The pointer lives in the device database
// (meta 'clientMode') so a reload or crash comes back to the same form with the same marks.
import { create } from 'zustand'
import type { InstrumentId, Locale, Rater } from '../core/index.ts'
import {
  type Administration,
  finalize,
  getAdministration,
  getMeta,
  StorageError,
  saveMark,
  setMeta,
  startDraft,
} from '../storage/index.ts'
import { database } from './database.ts'
import { checkPin, onLock, onUnlock } from './lock-store.ts'
import { afterLocalWrite } from './sync-store.ts'

const POINTER_KEY = 'clientMode'

export interface ClientModePointer {
  clientId: string
  instrumentId: InstrumentId
  rater: Rater
  /** The language of the buttons and help (Linja's own: nb, nn, en). */
  clientLocale: Locale
  /** The language of the form's wording when the organisation's text pack has one Linja lacks. */
  textLanguage?: string
  draftId: string
  phase: 'marking' | 'thanks'
  /** Group sessions (GSRS): each member's rating is its own record. */
  groupSessionId: string | null
  member: number
  /** Finished records of this hand-over, shown to the practitioner afterwards. */
  finishedIds: string[]
}

export type SaveProblem = 'quota-exceeded' | 'write-failed' | null
/** `kept-open`: the PIN was right, but marks the tablet could not save would be lost by leaving. */
export type ExitResult = 'left' | 'wrong-pin' | 'kept-open'

interface ClientModeState {
  loaded: boolean
  pointer: ClientModePointer | null
  draft: Administration | null
  /** Marks not yet confirmed by IndexedDB; kept in memory and retried, never dropped. */
  unsaved: Record<string, number>
  saveProblem: SaveProblem
  lastFinishedIds: string[]
  load: () => Promise<void>
  begin: (input: {
    clientId: string
    instrumentId: InstrumentId
    rater: Rater
    clientLocale: Locale
    textLanguage?: string
    group?: boolean
  }) => Promise<void>
  /** Hands an unfinished form back to the client, with the marks it already has. */
  resume: (draftId: string) => Promise<void>
  mark: (itemId: string, value: number) => Promise<void>
  done: () => Promise<boolean>
  nextMember: () => Promise<void>
  exit: (pin: string) => Promise<ExitResult>
}

async function writePointer(pointer: ClientModePointer | null): Promise<void> {
  await setMeta(database(), POINTER_KEY, pointer)
}

function problemOf(error: unknown): SaveProblem {
  return error instanceof StorageError && error.code === 'quota-exceeded'
    ? 'quota-exceeded'
    : 'write-failed'
}

export const useClientModeStore = create<ClientModeState>()((set, get) => ({
  loaded: false,
  pointer: null,
  draft: null,
  unsaved: {},
  saveProblem: null,
  lastFinishedIds: [],

  load: async () => {
    const pointer = (await getMeta<ClientModePointer | null>(database(), POINTER_KEY)) ?? null
    let draft: Administration | null = null
    try {
      draft = pointer ? ((await getAdministration(database(), pointer.draftId)) ?? null) : null
    } catch (error) {
      // Locked (a reload in client mode): the lock screen asks for the PIN, then load runs again.
      if (!(error instanceof StorageError && error.code === 'locked')) throw error
    }
    // Marks the tablet has not managed to store yet (a full disk) stay on the lines.
    const { unsaved } = get()
    if (draft && Object.keys(unsaved).length > 0) {
      draft = { ...draft, items: { ...draft.items, ...unsaved } }
    }
    set({ loaded: true, pointer, draft })
  },

  begin: async ({ clientId, instrumentId, rater, clientLocale, textLanguage, group }) => {
    const groupSessionId = group ? crypto.randomUUID() : null
    const draft = await startDraft(database(), {
      clientId,
      instrumentId,
      rater,
      collectedBy: 'tablet',
      locale: clientLocale,
      groupSessionId,
      memberLabel: group ? '1' : null,
    })
    const pointer: ClientModePointer = {
      clientId,
      instrumentId,
      rater,
      clientLocale,
      ...(textLanguage ? { textLanguage } : {}),
      draftId: draft.id,
      phase: 'marking',
      groupSessionId,
      member: 1,
      finishedIds: [],
    }
    await writePointer(pointer)
    set({ pointer, draft, unsaved: {}, saveProblem: null })
  },

  resume: async (draftId) => {
    const draft = await getAdministration(database(), draftId)
    if (!draft) throw new StorageError('not-found', `No administration ${draftId}.`)
    if (draft.status !== 'draft') throw new StorageError('not-a-draft', 'This form is final.')
    const member = Number(draft.memberLabel)
    const pointer: ClientModePointer = {
      clientId: draft.clientId,
      instrumentId: draft.instrumentId,
      rater: draft.rater,
      clientLocale: draft.locale,
      draftId: draft.id,
      phase: 'marking',
      groupSessionId: draft.groupSessionId,
      member: Number.isInteger(member) && member > 0 ? member : 1,
      finishedIds: [],
    }
    await writePointer(pointer)
    set({ pointer, draft, unsaved: {}, saveProblem: null })
  },

  mark: async (itemId, value) => {
    const { draft } = get()
    if (!draft) return
    // Show the mark at once; IndexedDB confirms it a moment later.
    set({
      draft: { ...draft, items: { ...draft.items, [itemId]: value } },
      unsaved: { ...get().unsaved, [itemId]: value },
    })
    await flush(set, get)
  },

  done: async () => {
    await flush(set, get)
    const { draft, pointer, unsaved } = get()
    if (!draft || !pointer || Object.keys(unsaved).length > 0) return false
    try {
      const final = await finalize(database(), draft.id)
      const next: ClientModePointer = {
        ...pointer,
        phase: 'thanks',
        finishedIds: [...pointer.finishedIds, final.id],
      }
      await writePointer(next)
      set({ pointer: next, draft: final, saveProblem: null })
      afterLocalWrite()
      return true
    } catch (error) {
      set({ saveProblem: problemOf(error) })
      return false
    }
  },

  nextMember: async () => {
    const { pointer } = get()
    if (!pointer?.groupSessionId) return
    const member = pointer.member + 1
    const draft = await startDraft(database(), {
      clientId: pointer.clientId,
      instrumentId: pointer.instrumentId,
      rater: pointer.rater,
      collectedBy: 'tablet',
      locale: pointer.clientLocale,
      groupSessionId: pointer.groupSessionId,
      memberLabel: String(member),
    })
    const next: ClientModePointer = { ...pointer, member, draftId: draft.id, phase: 'marking' }
    await writePointer(next)
    set({ pointer: next, draft, unsaved: {}, saveProblem: null })
  },

  exit: async (pin) => {
    if (!(await checkPin(pin))) return 'wrong-pin'
    await flush(set, get)
    const { pointer, unsaved } = get()
    // Marks the tablet could not store live only here: leaving would drop them.
    if (Object.keys(unsaved).length > 0) return 'kept-open'
    try {
      // A draft that was started but not finished stays on the device as a draft.
      await writePointer(null)
    } catch (error) {
      // Nothing is unsaved, so leaving loses nothing; the stored pointer brings client mode
      // (and the PIN) back after a reload, which is safe.
      set({ saveProblem: problemOf(error) })
    }
    set({ pointer: null, draft: null, unsaved: {}, lastFinishedIds: pointer?.finishedIds ?? [] })
    return 'left'
  },
}))

type Setter = (partial: Partial<ClientModeState>) => void
type Getter = () => ClientModeState

let flushing: Promise<void> | null = null

/**
 * Writes unsaved marks to IndexedDB one at a time, always the newest value of an item, until
 * none is left. A single writer: concurrent saves of older values could finish last.
 */
function flush(set: Setter, get: Getter): Promise<void> {
  if (flushing) return flushing
  const run = (async () => {
    for (;;) {
      const { draft, unsaved } = get()
      const next = Object.entries(unsaved)[0]
      if (!draft || !next) return
      const [itemId, value] = next
      try {
        await saveMark(database(), draft.id, itemId, value)
        // Lets the benchmark measure pointer-up to committed write; costs nothing otherwise.
        performance.mark('linja:mark-committed')
        const rest = { ...get().unsaved }
        if (rest[itemId] === value) delete rest[itemId]
        set({ unsaved: rest, saveProblem: null })
      } catch (error) {
        set({ saveProblem: problemOf(error) })
        return
      }
    }
  })()
  // Cleared after the run settles (not inside it: a run with nothing to do ends synchronously,
  // before this assignment, and would leave a finished promise here for good).
  flushing = run
  void run.finally(() => {
    if (flushing === run) flushing = null
  })
  return run
}

// Locked (a reload, or the app hidden), the decrypted form leaves memory; marks not yet stored
// stay, since the unlock must bring them back onto the lines.
onLock(() => useClientModeStore.setState({ draft: null }))

// After an unlock the form a client was marking is read again (its draft is sealed).
onUnlock(() => {
  void useClientModeStore.getState().load()
})

// A reload or close while a mark is still only in memory (a full tablet, or the moment before
// IndexedDB confirms it) asks first: the browser's own "leave this page?" question.
if (typeof window !== 'undefined') {
  window.addEventListener('beforeunload', (event) => {
    if (Object.keys(useClientModeStore.getState().unsaved).length === 0) return
    event.preventDefault()
    event.returnValue = ''
  })
}
