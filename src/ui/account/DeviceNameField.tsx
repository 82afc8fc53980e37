import { useTranslation } from 'react-i18next'
import type { useSignIn } from './use-sign-in.ts'

/** At a tablet's first sign-in: the name people will know it by (Administrasjon lists tablets by it). */
export function DeviceNameField({ field }: { field: ReturnType<typeof useSignIn>['deviceName'] }) {
  const { t } = useTranslation()
  if (!field.asked) return null
  return (
    <label className="field">
      <span>{t('account.deviceName')}</span>
      <input
        value={field.value}
        onChange={(e) => field.setValue(e.target.value)}
        maxLength={60}
        aria-describedby="device-name-help"
      />
      <small id="device-name-help">{t('account.deviceNameHelp')}</small>
    </label>
  )
}
