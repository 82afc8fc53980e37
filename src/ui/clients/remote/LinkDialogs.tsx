import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { cleanAddress, type RemoteLinkView } from '../../../state/remote-link-rules.ts'
import { remindRemoteLink, revokeRemoteLink } from '../../../state/remote-links.ts'
import { ErrorText } from '../../shared/ErrorText.tsx'
import { ModalDialog } from '../../shared/ModalDialog.tsx'
import { remoteErrorText } from './remote-errors.ts'

/**
 * A dialog's one server call: busy while it runs, the new state of the link to the caller on
 * success, the server's refusal in words on failure (the dialog stays open to try again).
 */
function useLinkCall(onClose: (changed: RemoteLinkView | null) => void) {
  const { t } = useTranslation()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const call = async (request: () => Promise<RemoteLinkView>) => {
    setBusy(true)
    try {
      onClose(await request())
    } catch (err) {
      setError(remoteErrorText(err, t))
      setBusy(false)
    }
  }
  return { error, busy, call, clearError: () => setError(null) }
}

/** Revoking is final: the practitioner confirms it. */
export function RevokeDialog(props: {
  link: RemoteLinkView
  onClose: (changed: RemoteLinkView | null) => void
}) {
  const { t } = useTranslation()
  const { error, busy, call, clearError } = useLinkCall(props.onClose)
  const revoke = async (e: FormEvent) => {
    e.preventDefault()
    clearError()
    await call(() => revokeRemoteLink(props.link.id))
  }
  return (
    <ModalDialog onCancel={() => props.onClose(null)}>
      {(titleId) => (
        <form onSubmit={revoke} noValidate>
          <h2 id={titleId}>{t('remote.revokeTitle')}</h2>
          <p>
            {props.link.instrumentId}, {t('remote.columns.session').toLowerCase()}{' '}
            {props.link.session}
          </p>
          <p className="hint">{t('remote.revokeHelp')}</p>
          <ErrorText message={error} />
          <div className="dialog-actions">
            <button type="button" onClick={() => props.onClose(null)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {t('remote.revokeConfirm')}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  )
}

/** The one reminder: the address again, since the server did not keep it. */
export function RemindDialog(props: {
  link: RemoteLinkView
  onClose: (changed: RemoteLinkView | null) => void
}) {
  const { t } = useTranslation()
  const channel = props.link.channel === 'sms' ? 'sms' : 'email'
  const [to, setTo] = useState('')
  const [bad, setBad] = useState(false)
  const { error, busy, call, clearError } = useLinkCall(props.onClose)
  const remind = async (e: FormEvent) => {
    e.preventDefault()
    clearError()
    const address = cleanAddress(channel, to)
    setBad(address === null)
    if (address === null) return
    await call(() => remindRemoteLink(props.link.id, address))
  }
  return (
    <ModalDialog onCancel={() => props.onClose(null)}>
      {(titleId) => (
        <form onSubmit={remind} noValidate>
          <h2 id={titleId}>{t('remote.remindTitle')}</h2>
          <p className="hint" id="remind-help">
            {t('remote.remindHelp')}
          </p>
          <label className="field wide">
            <span>{t(`remote.to.${channel}`)}</span>
            <input
              type={channel === 'email' ? 'email' : 'tel'}
              autoComplete="off"
              value={to}
              aria-invalid={bad}
              aria-describedby="remind-help"
              onChange={(e) => setTo(e.target.value)}
            />
          </label>
          <ErrorText message={bad ? t(`remote.bad.${channel}`) : error} />
          <div className="dialog-actions">
            <button type="button" onClick={() => props.onClose(null)}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {t('remote.remindConfirm')}
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  )
}
