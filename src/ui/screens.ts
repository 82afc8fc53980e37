// The practitioner's screens, each loaded on first use: client mode (the first thing a tablet in
// a client's hands needs) starts without them. The service worker precaches every chunk, and
// warmUpScreens fetches them when the app is idle, so they open offline too.
import { lazy } from 'react'

const screens = {
  clients: () => import('./clients/ClientsPage.tsx'),
  client: () => import('./clients/ClientPage.tsx'),
  typed: () => import('./session/TypedEntry.tsx'),
  reports: () => import('./reports/ReportsPage.tsx'),
  supervision: () => import('./supervision/SupervisionPage.tsx'),
  admin: () => import('./admin/AdminPage.tsx'),
  account: () => import('./account/AccountPage.tsx'),
  choosePassword: () => import('./account/ChoosePassword.tsx'),
  settings: () => import('./settings/SettingsPage.tsx'),
  accessLog: () => import('./access-log/AccessLogPage.tsx'),
}

export const ClientsPage = lazy(() => screens.clients().then((m) => ({ default: m.ClientsPage })))
export const ClientPage = lazy(() => screens.client().then((m) => ({ default: m.ClientPage })))
export const TypedEntry = lazy(() => screens.typed().then((m) => ({ default: m.TypedEntry })))
export const ReportsPage = lazy(() => screens.reports().then((m) => ({ default: m.ReportsPage })))
export const SupervisionPage = lazy(() =>
  screens.supervision().then((m) => ({ default: m.SupervisionPage })),
)
export const AdminPage = lazy(() => screens.admin().then((m) => ({ default: m.AdminPage })))
export const AccountPage = lazy(() => screens.account().then((m) => ({ default: m.AccountPage })))
export const ChoosePassword = lazy(() =>
  screens.choosePassword().then((m) => ({ default: m.ChoosePassword })),
)
export const SettingsPage = lazy(() =>
  screens.settings().then((m) => ({ default: m.SettingsPage })),
)
export const AccessLogPage = lazy(() =>
  screens.accessLog().then((m) => ({ default: m.AccessLogPage })),
)

/** Fetches every screen's code once the app is idle, so they all open without a network later. */
export function warmUpScreens(): void {
  const run = () => {
    for (const load of Object.values(screens)) void load().catch(() => undefined)
  }
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 })
  else setTimeout(run, 1000)
}
