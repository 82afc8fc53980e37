// Choosing one's own password after an administrator set one; the stored device session's person
// (IndexedDB meta) is updated so the app stops asking, also after a restart.
import { loadSession, saveSession } from '../sync/index.ts'
import { database } from './database.ts'
import { apiJson } from './online-api.ts'
import { syncNow, useSyncStore } from './sync-store.ts'

export async function chooseOwnPassword(currentPassword: string, newPassword: string) {
  await apiJson('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } })
  const db = database()
  const session = await loadSession(db)
  if (session) {
    const person = { ...session.person, mustChangePassword: false }
    await saveSession(db, { ...session, person })
    useSyncStore.setState({ person })
  }
  // The sync that was refused until now goes out.
  void syncNow().catch(() => undefined)
}
