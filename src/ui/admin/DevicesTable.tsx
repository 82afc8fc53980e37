import { useTranslation } from 'react-i18next'
import { type DeviceView, type PersonView, revokeDevice } from '../../state/admin-store.ts'
import { ConfirmButton } from '../shared/controls.tsx'
import { useFormat } from '../shared/use-format.ts'

/** The tablets signed in to the organisation, with their last contact; one can be revoked. */
export function DevicesTable({
  devices,
  people,
  act,
}: {
  devices: DeviceView[]
  people: PersonView[]
  act: (run: () => Promise<void>) => Promise<boolean>
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const nameOf = (id: string | null) => people.find((p) => p.id === id)?.displayName ?? '–'
  return (
    <>
      <h2 id="devices-title">{t('admin.devices')}</h2>
      <div className="table-wrap">
        <table className="history" aria-labelledby="devices-title">
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.device')}</th>
              <th scope="col">{t('admin.lastContact')}</th>
              <th scope="col">{t('admin.appVersion')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('history.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id} className={d.revokedAt ? 'is-inactive' : ''}>
                <td>{nameOf(d.personId)}</td>
                <td>{d.deviceName}</td>
                <td>{fmt.dateTime(d.lastContactAt)}</td>
                <td>{d.appVersion ?? '–'}</td>
                <td>{d.revokedAt ? t('admin.revoked') : t('admin.active')}</td>
                <td className="actions">
                  {!d.revokedAt && (
                    <ConfirmButton
                      label={t('admin.revoke')}
                      question={t('admin.confirmRevoke', { device: d.deviceName })}
                      onConfirm={() => void act(() => revokeDevice(d.id))}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
