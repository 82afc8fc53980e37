import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'
import {
  extraPackLanguages,
  formsForAge,
  getInstrument,
  type InstrumentId,
  LOCALES,
  type Locale,
  type Rater,
} from '../../core/index.ts'
import { LOCALE_NAMES } from '../../i18n/index.ts'
import { useClientModeStore } from '../../state/client-mode-store.ts'
import type { Administration, Client } from '../../state/clients-store.ts'
import { hasPin } from '../../state/device-pin.ts'
import { useTextPackStore } from '../../state/text-pack-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { SetPinForm } from '../settings/SetPinForm.tsx'
import { ErrorText } from '../shared/ErrorText.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'
import { ClientLanguageSelect } from './ClientLanguageSelect.tsx'
import { RaterSelect } from './RaterSelect.tsx'

const isLocale = (tag: string): tag is Locale => (LOCALES as readonly string[]).includes(tag)

/** Suggests the outcome form at the start of a visit, the session form once it is marked. */
function suggestedForm(client: Client, records: Administration[]): InstrumentId {
  const forms = formsForAge(client.ageGroup)
  const today = new Date().toISOString().slice(0, 10)
  const outcomeToday = records.some(
    (r) => r.status === 'final' && r.instrumentId === forms.outcome && r.markedAt.startsWith(today),
  )
  return outcomeToday ? forms.session : forms.outcome
}

export function StartSession({ client, records }: { client: Client; records: Administration[] }) {
  const { t } = useTranslation()
  const practitionerLocale = useUiStore((s) => s.locale)
  const begin = useClientModeStore((s) => s.begin)
  const [, navigate] = useLocation()
  const forms = formsForAge(client.ageGroup)
  const choices: InstrumentId[] = [forms.outcome, forms.session, 'GSRS']
  const [form, setForm] = useState<InstrumentId>(() => suggestedForm(client, records))
  const [rater, setRater] = useState<Rater>('client')
  // The form's wording: Linja's languages, plus those the organisation's text pack adds.
  const [language, setLanguage] = useState<string>(practitionerLocale)
  // Buttons and help when the wording is in a language Linja has no buttons in.
  const [chromeLocale, setChromeLocale] = useState<Locale>(practitionerLocale)
  const pack = useTextPackStore((s) => s.pack)
  const [pinSet, setPinSet] = useState<boolean | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    setForm(suggestedForm(client, records))
  }, [client, records])
  useEffect(() => {
    void hasPin().then(setPinSet)
  }, [])

  const instrument = getInstrument(form)
  const raters = instrument.raters
  const effectiveRater = raters.includes(rater) ? rater : 'client'
  const extra = extraPackLanguages(pack, form)
  const chosen = isLocale(language) || extra.includes(language) ? language : practitionerLocale

  return (
    <section className="start-session" aria-labelledby="start-title">
      <h2 id="start-title">{t('start.title')}</h2>
      <fieldset className="choice-row">
        <legend>{t('start.form')}</legend>
        {choices.map((id) => (
          <label key={id} className="choice">
            <input
              type="radio"
              name="form"
              value={id}
              checked={form === id}
              onChange={() => setForm(id)}
            />
            <span>
              {id} <span className="muted">– {t(`formPurpose.${id}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="row">
        <RaterSelect raters={raters} value={effectiveRater} onChange={setRater} />
        <ClientLanguageSelect
          value={chosen}
          extra={extra}
          practitionerLocale={practitionerLocale}
          onChange={setLanguage}
        />
        {!isLocale(chosen) && (
          <label className="field">
            <span>{t('start.buttonsLanguage')}</span>
            <select
              value={chromeLocale}
              onChange={(e) => setChromeLocale(e.target.value as Locale)}
            >
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {pinSet === false ? (
        <SetPinForm intro={t('start.needPin')} onDone={() => setPinSet(true)} />
      ) : (
        <button
          type="button"
          className="primary big"
          disabled={pinSet !== true}
          onClick={async () => {
            setError(null)
            try {
              await begin({
                clientId: client.id,
                instrumentId: form,
                rater: effectiveRater,
                ...(isLocale(chosen)
                  ? { clientLocale: chosen }
                  : { clientLocale: chromeLocale, textLanguage: chosen }),
                group: instrument.group,
              })
              navigate('/client-mode')
            } catch (err) {
              setError(storageErrorMessage(err, t))
            }
          }}
        >
          {t('start.handOver')}
        </button>
      )}
      <ErrorText message={error} />
    </section>
  )
}
