import { useTranslation } from 'react-i18next'
import {
  deliveriesToTell,
  deliveryState,
  type RemoteLinkView,
} from '../../../state/remote-link-rules.ts'

/**
 * How the link's messages are getting on, in words: "Lenke: sendt · Kode: prøver igjen". In the
 * dialog that made the link it is read out as it changes, and a failure offers the QR code there.
 */
export function DeliveryStatus({
  link,
  inDialog = false,
}: {
  link: RemoteLinkView
  inDialog?: boolean
}) {
  const { t } = useTranslation()
  const deliveries = deliveriesToTell(link)
  if (deliveries.length === 0) return null
  const failed = deliveries.some((d) => d.status === 'failed')
  return (
    <div className="delivery-status" role={inDialog ? 'status' : undefined}>
      <span>
        {deliveries
          // The server's lastError is in English only: the state in words says enough here.
          .map(
            (d) =>
              `${t(`remote.delivery.kind.${d.kind}`)}: ${t(`remote.delivery.${deliveryState(d)}`)}`,
          )
          .join(' · ')}
      </span>
      {failed && !inDialog && <span className="delivery-failed"> {t('remote.failedHelp')}</span>}
    </div>
  )
}
