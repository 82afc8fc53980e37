import { useTranslation } from 'react-i18next'
import { getInstrument } from '../../core/index.ts'
import type { Administration } from '../../storage/index.ts'
import { moodForValue } from '../client-mode/FaceChoice.tsx'
import { useFormat } from '../shared/use-format.ts'

export function HistoryTable({ records }: { records: Administration[] }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const shown = records.filter((r) => r.status === 'final' || r.status === 'draft')
  if (shown.length === 0) return <p>{t('client.noRecords')}</p>
  return (
    <div className="table-wrap">
      <table className="history">
        <caption className="sr-only">{t('client.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('history.when')}</th>
            <th scope="col">{t('history.form')}</th>
            <th scope="col">{t('history.session')}</th>
            <th scope="col">{t('history.items')}</th>
            <th scope="col">{t('history.total')}</th>
            <th scope="col">{t('history.how')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => {
            const instrument = getInstrument(r.instrumentId)
            return (
              <tr key={r.id} className={r.status === 'draft' ? 'is-draft' : ''}>
                <td>{fmt.dateTime(r.markedAt)}</td>
                <td>
                  {r.instrumentId}
                  {r.rater !== 'client' ? ` (${t(`rater.${r.rater}`)})` : ''}
                  {r.memberLabel ? ` · ${t('history.member', { n: r.memberLabel })}` : ''}
                </td>
                <td>{r.session}</td>
                <td>
                  {instrument.items
                    .map((i) => {
                      const v = r.items[i.id]
                      if (v === null || v === undefined) return '–'
                      return instrument.response === 'face-choice'
                        ? t(`faces.${moodForValue(v)}`)
                        : fmt.score(v)
                    })
                    .join(' · ')}
                </td>
                <td>
                  {r.status === 'draft'
                    ? t('history.draft')
                    : r.total === null || !instrument.scored
                      ? '–'
                      : fmt.score(r.total)}
                </td>
                <td>{t(`collectedBy.${r.collectedBy}`)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
