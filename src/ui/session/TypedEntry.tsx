import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import {
  formsForAge,
  getInstrument,
  type InstrumentId,
  parseTypedScore,
  type Rater,
  type TypedScoreError,
} from '../../core/index.ts'
import { useClientModeStore } from '../../state/client-mode-store.ts'
import { saveTypedScores, useClientsStore } from '../../state/clients-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'
import { RaterSelect } from './RaterSelect.tsx'

function errorText(
  error: TypedScoreError,
  t: (k: string, o?: Record<string, unknown>) => string,
): string {
  switch (error.code) {
    case 'empty':
      return t('typed.errorEmpty')
    case 'not-a-number':
      return t('typed.errorNotNumber')
    case 'out-of-range':
      return t('typed.errorRange')
    case 'too-many-decimals':
      return t('typed.errorDecimals')
  }
}

/** Paper and phone sessions: the practitioner types item scores 0.0–10.0. */
export function TypedEntry({ clientId }: { clientId: string }) {
  const { t } = useTranslation()
  const locale = useUiStore((s) => s.locale)
  const clients = useClientsStore((s) => s.clients)
  const refresh = useClientsStore((s) => s.refresh)
  const [, navigate] = useLocation()
  const client = clients.find((c) => c.id === clientId)
  const [form, setForm] = useState<InstrumentId | null>(null)
  const [rater, setRater] = useState<Rater>('client')
  const [how, setHow] = useState<'paper' | 'phone'>('paper')
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10))
  const [texts, setTexts] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)

  useEffect(() => {
    void refresh()
  }, [refresh])
  if (!client) return null
  const forms = formsForAge(client.ageGroup)
  const instrumentId = form ?? forms.outcome
  const instrument = getInstrument(instrumentId)
  const raters = instrument.raters
  const effectiveRater = raters.includes(rater) ? rater : 'client'

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    const items: Record<string, number> = {}
    const problems: Record<string, string> = {}
    for (const item of instrument.items) {
      const parsed = parseTypedScore(texts[item.id] ?? '', locale)
      if (parsed.ok) items[item.id] = parsed.value
      else problems[item.id] = errorText(parsed.error, t)
    }
    setErrors(problems)
    if (Object.keys(problems).length > 0) {
      setFormError(t('typed.fixErrors'))
      return
    }
    const today = new Date().toISOString().slice(0, 10)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date > today) {
      setFormError(t('typed.badDate'))
      return
    }
    try {
      const markedAt = date === today ? new Date().toISOString() : `${date}T12:00:00.000Z`
      const saved = await saveTypedScores({
        clientId,
        instrumentId,
        items,
        rater: effectiveRater,
        collectedBy: how,
        markedAt,
        locale,
      })
      useClientModeStore.setState({ lastFinishedIds: [saved.id] })
      navigate(`/clients/${clientId}`)
    } catch (err) {
      setFormError(storageErrorMessage(err, t))
    }
  }

  return (
    <section className="panel" aria-labelledby="typed-title">
      <p className="breadcrumb">
        <Link href={`/clients/${clientId}`}>{t('client.title', { code: client.code })}</Link>
      </p>
      <h1 id="typed-title">{t('typed.title')}</h1>
      <form onSubmit={onSubmit} noValidate>
        <fieldset className="choice-row">
          <legend>{t('start.form')}</legend>
          {[forms.outcome, forms.session].map((id) => (
            <label key={id} className="choice">
              <input
                type="radio"
                name="form"
                checked={instrumentId === id}
                onChange={() => {
                  setForm(id)
                  setTexts({})
                  setErrors({})
                }}
              />
              <span>{id}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="choice-row">
          <legend>{t('typed.how')}</legend>
          {(['paper', 'phone'] as const).map((h) => (
            <label key={h} className="choice">
              <input type="radio" name="how" checked={how === h} onChange={() => setHow(h)} />
              <span>{t(`collectedBy.${h}`)}</span>
            </label>
          ))}
        </fieldset>
        <div className="row">
          <RaterSelect raters={raters} value={effectiveRater} onChange={setRater} />
          <label className="field">
            <span>{t('typed.date')}</span>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
        </div>
        <div className="typed-items">
          {instrument.items.map((item) => (
            <label key={item.id} className="field">
              <span>{item.label[locale]}</span>
              <input
                inputMode="decimal"
                autoComplete="off"
                value={texts[item.id] ?? ''}
                aria-invalid={errors[item.id] ? true : undefined}
                aria-describedby={errors[item.id] ? `err-${item.id}` : 'typed-help'}
                onChange={(e) => setTexts({ ...texts, [item.id]: e.target.value })}
              />
              {errors[item.id] && (
                <span id={`err-${item.id}`} className="error">
                  {errors[item.id]}
                </span>
              )}
            </label>
          ))}
        </div>
        <p id="typed-help" className="hint">
          {t('typed.help')}
        </p>
        <ErrorText message={formError} />
        <button type="submit" className="primary">
          {t('typed.save')}
        </button>
      </form>
    </section>
  )
}
