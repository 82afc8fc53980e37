import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { initI18n } from './i18n/index.ts'
import { registerServiceWorker } from './state/app-update-store.ts'
import { useClientModeStore } from './state/client-mode-store.ts'
import { refreshLock, startLockWatch } from './state/lock-store.ts'
import { takeOidcReturn } from './state/oidc-sign-in.ts'
import { checkPersistence } from './state/storage-status.ts'
import { startSync } from './state/sync-store.ts'
import { useUiStore, watchNetwork } from './state/ui-store.ts'
import { App } from './ui/App.tsx'
import './ui/styles.css'

async function start(): Promise<void> {
  const { locale } = useUiStore.getState()
  document.documentElement.lang = locale
  await initI18n(locale)
  // Know whether a client holds the tablet before anything is drawn, so a reload never flashes
  // the practitioner's screens.
  // Whether the data is locked (a PIN first) is known before anything is drawn, too.
  await refreshLock()
  // Back from the municipality's sign-in page: the one-time code leaves the address at once.
  const finishOidc = takeOidcReturn()
  await useClientModeStore.getState().load()
  startLockWatch(() => useClientModeStore.getState().pointer !== null)
  watchNetwork()
  void checkPersistence()
  registerServiceWorker()
  const container = document.getElementById('root')
  if (!container) throw new Error('#root is missing from index.html')
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
  // Sync never delays the first screen: it starts after the app is drawn.
  void startSync().then(() => finishOidc?.())
}

void start()
