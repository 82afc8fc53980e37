import { useTranslation } from 'react-i18next'
import { canRemind, type RemoteLinkView } from '../../../state/remote-link-rules.ts'
import { useFormat } from '../../shared/use-format.ts'
import { DeliveryStatus } from './DeliveryStatus.tsx'

/** When the state began, or until when it lasts: the date a practitioner asks about. */
function stateTime(link: RemoteLinkView): string {
  if (link.state === 'completed') return link.completedAt ?? link.expiresAt
  return link.expiresAt
}

/** The client's links, newest first: state and dates, form, channel, sending; revoke and remind. */
export function RemoteLinkList(props: {
  links: RemoteLinkView[]
  labelledBy: string
  onRevoke: (link: RemoteLinkView) => void
  onRemind: (link: RemoteLinkView) => void
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  return (
    <div className="table-wrap">
      <table className="history remote-links" aria-labelledby={props.labelledBy}>
        <thead>
          <tr>
            <th scope="col">{t('remote.columns.created')}</th>
            <th scope="col">{t('remote.columns.form')}</th>
            <th scope="col">{t('remote.columns.state')}</th>
            <th scope="col">{t('remote.columns.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {props.links.map((link) => (
            <tr
              key={link.id}
              className={
                link.state === 'waiting' || link.state === 'completed' ? undefined : 'is-over'
              }
              data-state={link.state}
            >
              <td>{fmt.dateTime(link.createdAt)}</td>
              <td>
                {link.instrumentId}
                {link.rater !== 'client' ? ` (${t(`rater.${link.rater}`)})` : ''}
                <br />
                <span className="muted">
                  {t('remote.columns.session')} {link.session} ·{' '}
                  {t(`remote.listChannel.${link.channel}`)}
                </span>
              </td>
              <td>
                {t(`remote.state.${link.state}`, { time: fmt.dateTime(stateTime(link)) })}
                <DeliveryStatus link={link} />
                {link.reminderSentAt && (
                  <div className="muted">
                    {t('remote.reminded', { time: fmt.dateTime(link.reminderSentAt) })}
                  </div>
                )}
              </td>
              <td className="actions">
                {link.state === 'waiting' && (
                  <button type="button" onClick={() => props.onRevoke(link)}>
                    {t('remote.revoke')}
                  </button>
                )}
                {canRemind(link) && (
                  <button type="button" onClick={() => props.onRemind(link)}>
                    {t('remote.remind')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
