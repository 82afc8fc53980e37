import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { deliveriesToTell, type RemoteLinkView } from '../../../state/remote-link-rules.ts'
import type { CreatedRemoteLink } from '../../../state/remote-links.ts'
import { useFormat } from '../../shared/use-format.ts'
import { DeliveryStatus } from './DeliveryStatus.tsx'
import { QrCode } from './QrCode.tsx'

/** Where the client types the short code: the page's address without the token. */
function pageAddress(url: string): string {
  try {
    const u = new URL(url)
    return `${u.host}${u.pathname}`
  } catch {
    return url.split('#')[0] ?? url
  }
}

/**
 * What the practitioner gives the client, shown this once: the QR code, the short code to read
 * out and the 6-digit code; for e-mail and SMS how the sending goes.
 */
export function LinkResult(props: {
  titleId: string
  created: CreatedRemoteLink
  link: RemoteLinkView
  codeBy: 'tell' | 'message'
  onClose: () => void
}) {
  const { created, link, codeBy } = props
  const { t } = useTranslation()
  const fmt = useFormat()
  const [qrInstead, setQrInstead] = useState(false)
  const showCodes = link.channel === 'show' || qrInstead
  const failed = deliveriesToTell(link).some((d) => d.status === 'failed')
  const heading = useRef<HTMLHeadingElement>(null)
  // The form that had focus is gone: the result's title takes it, so a screen reader reads on from there.
  useEffect(() => heading.current?.focus(), [])

  return (
    <div className="link-result">
      <h2 id={props.titleId} ref={heading} tabIndex={-1}>
        {t('remote.doneTitle')}
      </h2>
      {(showCodes || codeBy === 'tell') && <p className="notice">{t('remote.onceOnly')}</p>}
      {link.channel !== 'show' && <DeliveryStatus link={link} inDialog />}
      {showCodes && (
        <div className="link-codes">
          <figure className="qr-figure">
            <QrCode text={created.url} label={t('remote.qrAlt')} />
            <figcaption className="hint">{t('remote.scan')}</figcaption>
          </figure>
          <dl className="codes">
            <dt>{t('remote.shortCode')}</dt>
            <dd className="big-code">{created.shortCode}</dd>
            <dd className="hint">
              {t('remote.shortCodeHelp', { address: pageAddress(created.url) })}
            </dd>
            <dt>{t('remote.code')}</dt>
            <dd className="big-code">{created.code}</dd>
            <dd className="hint">{t('remote.codeSay')}</dd>
          </dl>
        </div>
      )}
      {!showCodes && codeBy === 'tell' && (
        <dl className="codes">
          <dt>{t('remote.code')}</dt>
          <dd className="big-code">{created.code}</dd>
          <dd className="hint">{t('remote.codeSay')}</dd>
        </dl>
      )}
      {!showCodes && codeBy === 'message' && <p>{t('remote.codeSent')}</p>}
      <p>{t('remote.expires', { time: fmt.dateTime(link.expiresAt) })}</p>
      <div className="dialog-actions">
        {!showCodes && failed && (
          <button type="button" onClick={() => setQrInstead(true)}>
            {t('remote.showQrInstead')}
          </button>
        )}
        <button type="button" className="primary" onClick={props.onClose}>
          {t('remote.close')}
        </button>
      </div>
    </div>
  )
}
