import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { getInstrument } from '../../core/index.ts'
import type { Administration } from '../../state/clients-store.ts'
import { moodForValue } from '../shared/faces.ts'
import { useFormat } from '../shared/use-format.ts'
import { RecordDialog } from './RecordDialog.tsx'

export function HistoryTable(props: {
  records: Administration[]
  readOnly?: boolean
  onChanged?: () => void
  /** The id of the heading that names this table (an episode's, when there are several). */
  labelledBy?: string
}) {
  const { records, readOnly, onChanged, labelledBy } = props
  const { t } = useTranslation()
  const fmt = useFormat()
  const [editing, setEditing] = useState<{
    record: Administration
    mode: 'correct' | 'void'
  } | null>(null)
  if (records.length === 0) return <p>{t('client.noRecords')}</p>
  const sorted = [...records].sort((a, b) => (a.markedAt < b.markedAt ? 1 : -1))
  return (
    <div className="table-wrap">
      <table className="history" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">{t('history.when')}</th>
            <th scope="col">{t('history.form')}</th>
            <th scope="col">{t('history.session')}</th>
            <th scope="col">{t('history.items')}</th>
            <th scope="col">{t('history.total')}</th>
            <th scope="col">{t('history.how')}</th>
            {!readOnly && <th scope="col">{t('history.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => {
            const instrument = getInstrument(r.instrumentId)
            const current = r.status === 'final' && r.voided === null && r.supersededBy === null
            const state =
              r.status === 'draft'
                ? t('history.draft')
                : r.voided
                  ? t('history.voided', { reason: r.voided.reason })
                  : r.supersededBy
                    ? t('history.superseded')
                    : null
            return (
              <tr key={r.id} className={current ? '' : 'is-inactive'}>
                <td>{fmt.dateTime(r.markedAt)}</td>
                <td>
                  {r.instrumentId}
                  {r.rater !== 'client' ? ` (${t(`rater.${r.rater}`)})` : ''}
                  {r.memberLabel ? ` · ${t('history.member', { n: r.memberLabel })}` : ''}
                  {r.supersedes
                    ? ` · ${t('history.corrected', { reason: r.correctionReason ?? '' })}`
                    : ''}
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
                  {state ?? (r.total === null || !instrument.scored ? '–' : fmt.score(r.total))}
                </td>
                <td>{t(`collectedBy.${r.collectedBy}`)}</td>
                {!readOnly && (
                  <td className="actions">
                    {current && instrument.response === 'line' && (
                      <button
                        type="button"
                        onClick={() => setEditing({ record: r, mode: 'correct' })}
                      >
                        {t('record.correct')}
                      </button>
                    )}
                    {current && (
                      <button type="button" onClick={() => setEditing({ record: r, mode: 'void' })}>
                        {t('record.void')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            )
          })}
        </tbody>
      </table>
      {editing && (
        <RecordDialog
          record={editing.record}
          mode={editing.mode}
          onClose={(changed) => {
            setEditing(null)
            if (changed) onChanged?.()
          }}
        />
      )}
    </div>
  )
}
