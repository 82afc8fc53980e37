import { useTranslation } from 'react-i18next'
import { Home } from './home/Home.tsx'
import { AppHeader } from './shell/AppHeader.tsx'

export function App() {
  const { t } = useTranslation()
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.name')}
      </a>
      <AppHeader />
      <main id="main" className="app-main" tabIndex={-1}>
        <Home />
      </main>
    </div>
  )
}
