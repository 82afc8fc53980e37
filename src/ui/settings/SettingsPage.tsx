import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isUiLocale, LOCALE_NAMES, UI_LOCALES } from '../../i18n/index.ts'
import { CARD_WIDTH_MM, CSS_PX_PER_CM, useDeviceStore } from '../../state/device-store.ts'
import { useUiStore } from '../../state/ui-store.ts'
import { ExportButtons } from '../clients/ExportButtons.tsx'
import { DeviceSecurity } from './DeviceSecurity.tsx'
import { SetPinForm } from './SetPinForm.tsx'
import { StorageSection } from './StorageSection.tsx'
import { TabletNameSection } from './TabletNameSection.tsx'

export function SettingsPage() {
  const { t } = useTranslation()
  const locale = useUiStore((s) => s.locale)
  const setLocale = useUiStore((s) => s.setLocale)
  const pxPerCm = useDeviceStore((s) => s.pxPerCm)
  const calibrated = useDeviceStore((s) => s.calibrated)
  const setCalibration = useDeviceStore((s) => s.setCalibration)
  const resetCalibration = useDeviceStore((s) => s.resetCalibration)
  const [cardPx, setCardPx] = useState(() => Math.round((pxPerCm * CARD_WIDTH_MM) / 10))
  const [saved, setSaved] = useState(false)
  const nudge = (d: number) => {
    setSaved(false)
    setCardPx((w) => Math.min(900, Math.max(150, w + d)))
  }

  return (
    <section className="panel" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <label className="field">
        <span>{t('home.language')}</span>
        <select
          value={locale}
          onChange={(e) => {
            if (isUiLocale(e.target.value)) setLocale(e.target.value)
          }}
        >
          {UI_LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>

      <h2>{t('settings.calibrationTitle')}</h2>
      <p>{t('settings.calibrationHelp')}</p>
      <div
        className="card-outline"
        style={{ width: `${cardPx}px`, height: `${cardPx * (53.98 / 85.6)}px` }}
      >
        <span>{t('settings.cardHere')}</span>
      </div>
      <div className="row">
        <button type="button" onClick={() => nudge(-10)} aria-label={t('settings.smallerMore')}>
          −−
        </button>
        <button type="button" onClick={() => nudge(-1)} aria-label={t('settings.smaller')}>
          −
        </button>
        <input
          type="range"
          min={150}
          max={900}
          value={cardPx}
          aria-label={t('settings.cardWidth')}
          onChange={(e) => {
            setSaved(false)
            setCardPx(Number(e.target.value))
          }}
        />
        <button type="button" onClick={() => nudge(1)} aria-label={t('settings.larger')}>
          +
        </button>
        <button type="button" onClick={() => nudge(10)} aria-label={t('settings.largerMore')}>
          ++
        </button>
      </div>
      <div className="row">
        <button
          type="button"
          className="primary"
          onClick={() => {
            setCalibration(cardPx)
            setSaved(true)
          }}
        >
          {t('settings.saveCalibration')}
        </button>
        <button
          type="button"
          onClick={() => {
            resetCalibration()
            setCardPx(Math.round((CSS_PX_PER_CM * CARD_WIDTH_MM) / 10))
            setSaved(false)
          }}
        >
          {t('settings.resetCalibration')}
        </button>
      </div>
      <p role="status">
        {saved
          ? t('settings.calibrationSaved')
          : calibrated
            ? t('settings.calibrated')
            : t('settings.notCalibrated')}
      </p>

      <h2>{t('settings.pinTitle')}</h2>
      <SetPinForm onDone={() => undefined} />
      <DeviceSecurity />
      <TabletNameSection />
      <StorageSection />
      <ExportButtons />
    </section>
  )
}
