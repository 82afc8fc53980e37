import { Suspense, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Redirect, Route, Switch, useLocation } from 'wouter'
import { useClientModeStore } from '../state/client-mode-store.ts'
import { useLockStore } from '../state/lock-store.ts'
import { useSyncStore } from '../state/sync-store.ts'
import { SyncNotice } from './account/SyncNotice.tsx'
import { warmUpCharts } from './charts/load-charts.ts'
import { ClientMode } from './client-mode/ClientMode.tsx'
import {
  AccessLogPage,
  AccountPage,
  AdminPage,
  ChoosePassword,
  ClientPage,
  ClientsPage,
  ReportsPage,
  SettingsPage,
  SupervisionPage,
  TypedEntry,
  warmUpScreens,
} from './screens.ts'
import { ErrorBoundary } from './shared/ErrorBoundary.tsx'
import { AppHeader } from './shell/AppHeader.tsx'
import { FirstUse } from './shell/FirstUse.tsx'
import { LockScreen } from './shell/LockScreen.tsx'
import { UpdateBanner } from './shell/UpdateBanner.tsx'

export function App() {
  const { t } = useTranslation()
  const pointer = useClientModeStore((s) => s.pointer)
  const lock = useLockStore((s) => s.status)
  const mustChoosePassword = useSyncStore((s) => s.person?.mustChangePassword === true)
  const [location, navigate] = useLocation()
  const inClientMode = pointer !== null
  useEffect(() => {
    if (!inClientMode) {
      warmUpScreens()
      warmUpCharts()
    }
  }, [inClientMode])

  // Locked, nothing is readable: not even client mode's form after a reload, until the PIN.
  // Right after a sign-in, the PIN comes before any screen: without it the next offline start
  // could not open the data.
  if (lock === 'locked' || lock === 'locked-out' || lock === 'needs-pin') {
    return <LockScreen />
  }
  // While a client holds the tablet, nothing but the form exists, whatever the URL says.
  if (pointer) {
    return <ClientMode onExit={() => navigate(`/clients/${pointer.clientId}`, { replace: true })} />
  }
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <AppHeader />
      <UpdateBanner />
      <SyncNotice />
      <main id="main" className="app-main" tabIndex={-1}>
        <ErrorBoundary fallback={<p className="error">{t('app.screenUnavailable')}</p>}>
          <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
            {mustChoosePassword ? (
              <ChoosePassword />
            ) : lock === 'no-key' && !/^\/(account|settings)\b/.test(location) ? (
              <FirstUse />
            ) : (
              <Switch>
                <Route path="/">
                  <ClientsPage />
                </Route>
                <Route path="/clients/:id">{(p) => <ClientPage clientId={p.id} />}</Route>
                <Route path="/clients/:id/typed">{(p) => <TypedEntry clientId={p.id} />}</Route>
                <Route path="/clients/:id/access-log">
                  {(p) => <AccessLogPage clientId={p.id} />}
                </Route>
                <Route path="/reports">
                  <ReportsPage />
                </Route>
                <Route path="/supervision">
                  <SupervisionPage />
                </Route>
                <Route path="/supervision/clients/:id">
                  {(p) => <ClientPage clientId={p.id} readOnly />}
                </Route>
                <Route path="/admin/:section?">{(p) => <AdminPage section={p.section} />}</Route>
                <Route path="/account">
                  <AccountPage />
                </Route>
                <Route path="/settings">
                  <SettingsPage />
                </Route>
                <Route path="/client-mode">
                  <Redirect to="/" />
                </Route>
                <Route>
                  <Redirect to="/" />
                </Route>
              </Switch>
            )}
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  )
}
