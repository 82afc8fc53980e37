import { useTranslation } from 'react-i18next'
import { MIN_CLIENTS_FOR_REPORT } from '../../core/index.ts'

/** What "skjult", "–" and n mean in the report's tables, said once above them. */
export function FigureLegend() {
  const { t } = useTranslation()
  return (
    <figure className="legend">
      <figcaption className="sr-only">{t('reports.legend')}</figcaption>
      <dl>
        <div>
          <dt>{t('reports.hidden')}</dt>
          <dd>{t('reports.hiddenMeans', { min: MIN_CLIENTS_FOR_REPORT })}</dd>
        </div>
        <div>
          <dt>–</dt>
          <dd>{t('reports.noDataMeans')}</dd>
        </div>
        <div>
          <dt>n</dt>
          <dd>{t('reports.nMeans')}</dd>
        </div>
      </dl>
    </figure>
  )
}
