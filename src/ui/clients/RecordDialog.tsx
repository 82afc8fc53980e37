import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { getInstrument, parseTypedScore } from '../../core/index.ts'
import type { Administration } from '../../state/clients-store.ts'
import { correctRecord, voidRecord } from '../../state/clients-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'
import { useFormat } from '../shared/use-format.ts'

/** Correct a record (a new version; the old one is kept) or void it with a reason. */
export function RecordDialog(props: {
  record: Administration
  mode: 'correct' | 'void'
  onClose: (changed: boolean) => void
}) {
  const { record, mode, onClose } = props
  const { t } = useTranslation()
  const locale = useUiStore((s) => s.locale)
  const fmt = useFormat()
  const ref = useRef<HTMLDialogElement>(null)
  const instrument = getInstrument(record.instrumentId)
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      instrument.items.map((i) => {
        const v = record.items[i.id]
        return [i.id, v === null || v === undefined ? '' : fmt.score(v)]
      }),
    ),
  )
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (reason.trim() === '') return setError(t('record.reasonNeeded'))
    try {
      if (mode === 'void') {
        await voidRecord(record.id, reason.trim())
      } else {
        const items: Record<string, number> = {}
        for (const item of instrument.items) {
          const parsed = parseTypedScore(texts[item.id] ?? '', locale)
          if (!parsed.ok) return setError(t('record.badScore', { item: item.label[locale] }))
          items[item.id] = parsed.value
        }
        await correctRecord(record.id, items, reason.trim())
      }
      onClose(true)
    } catch (err) {
      setError(storageErrorMessage(err, t))
    }
  }

  return (
    <dialog
      ref={ref}
      className="record-dialog"
      aria-labelledby="record-title"
      onCancel={() => onClose(false)}
    >
      <form onSubmit={onSubmit} noValidate>
        <h2 id="record-title">
          {mode === 'void' ? t('record.voidTitle') : t('record.correctTitle')} (
          {record.instrumentId}, {fmt.dateTime(record.markedAt)})
        </h2>
        {mode === 'correct' && (
          <div className="typed-items">
            {instrument.items.map((item) => (
              <label key={item.id} className="field">
                <span>{item.label[locale]}</span>
                <input
                  inputMode="decimal"
                  value={texts[item.id] ?? ''}
                  onChange={(e) => setTexts({ ...texts, [item.id]: e.target.value })}
                />
              </label>
            ))}
          </div>
        )}
        <label className="field wide">
          <span>{t('record.reason')}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
        </label>
        <p className="hint">{mode === 'void' ? t('record.voidHelp') : t('record.correctHelp')}</p>
        <ErrorText message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onClose(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary">
            {mode === 'void' ? t('record.void') : t('record.saveCorrection')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
