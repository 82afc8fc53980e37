import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { AccessLogView } from './AccessLogView.tsx'

/** A practitioner's way to the innsynslogg of their own client, from the client's page. */
export function AccessLogPage({ clientId }: { clientId: string }) {
  const { t } = useTranslation()
  return (
    <section className="panel" aria-labelledby="access-log-page-title">
      <p className="breadcrumb no-print">
        <Link href={`/clients/${clientId}`}>{t('accessLog.back')}</Link>
      </p>
      <h1 id="access-log-page-title" className="no-print">
        {t('accessLog.title')}
      </h1>
      <AccessLogView clientId={clientId} />
    </section>
  )
}
