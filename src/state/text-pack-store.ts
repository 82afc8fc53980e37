// The organisation's licensed instrument wording (text pack), fetched from the server after a
// sync and kept in the device database (meta 'textPack') so client mode has it offline.
import { create } from 'zustand'
import { type TextPack, validateTextPack } from '../core/index.ts'
import { getMeta, setMeta } from '../storage/index.ts'
import { database } from './database.ts'
import { apiJson } from './online-api.ts'

const KEY = 'textPack'

interface TextPackState {
  pack: TextPack | null
}

export const useTextPackStore = create<TextPackState>()(() => ({ pack: null }))

export async function loadTextPack(): Promise<void> {
  const stored = await getMeta<unknown>(database(), KEY)
  const checked = stored ? validateTextPack(stored) : null
  useTextPackStore.setState({ pack: checked?.ok ? checked.pack : null })
}

/** Fetches the active pack; a pack that fails the core's validation is never used. */
export async function refreshTextPack(): Promise<void> {
  const answer = await apiJson<unknown>('/api/text-packs/active')
  if (answer === null) {
    await setMeta(database(), KEY, null)
    useTextPackStore.setState({ pack: null })
    return
  }
  const checked = validateTextPack(answer)
  if (!checked.ok) return
  await setMeta(database(), KEY, checked.pack)
  useTextPackStore.setState({ pack: checked.pack })
}
