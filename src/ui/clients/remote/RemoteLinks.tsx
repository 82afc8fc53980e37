import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Administration, Client } from '../../../state/clients-store.ts'
import { type RemoteLinkView, stillSending } from '../../../state/remote-link-rules.ts'
import {
  fetchRemoteChannels,
  fetchRemoteLinks,
  type RemoteChannels,
} from '../../../state/remote-links.ts'
import { useSyncStore } from '../../../state/sync-store.ts'
import { useUiStore } from '../../../state/ui-store.ts'
import { ErrorText } from '../../shared/ErrorText.tsx'
import { RemindDialog, RevokeDialog } from './LinkDialogs.tsx'
import { RemoteLinkList } from './RemoteLinkList.tsx'
import { remoteErrorText } from './remote-errors.ts'
import { SendLinkDialog } from './SendLinkDialog.tsx'

/** How often the list is asked again while a message is still being sent. */
const POLL_MS = 3000

type Open =
  | { kind: 'send' }
  | { kind: 'revoke'; link: RemoteLinkView }
  | { kind: 'remind'; link: RemoteLinkView }
  | null

/**
 * "Skjema på lenke" on a client's page: send a link, and the links sent, asked of the server
 * (online, signed in as a practitioner). Offline it says why and leaves the rest of the page be.
 */
export function RemoteLinks(props: {
  client: Client
  episodeId: string
  records: Administration[]
}) {
  const { client } = props
  const { t } = useTranslation()
  const online = useUiStore((s) => s.online)
  const person = useSyncStore((s) => s.person)
  const canSend = person?.roles.includes('practitioner') === true
  const [links, setLinks] = useState<RemoteLinkView[] | null>(null)
  const [channels, setChannels] = useState<RemoteChannels | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<Open>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const [refocus, setRefocus] = useState(false)

  const reload = useCallback(() => {
    fetchRemoteLinks(client.id).then(
      (l) => {
        setLinks(l)
        setError(null)
      },
      (err: unknown) => setError(remoteErrorText(err, t)),
    )
  }, [client.id, t])

  useEffect(() => {
    if (!online || !canSend) return
    reload()
    fetchRemoteChannels().then(setChannels, (err: unknown) => setError(remoteErrorText(err, t)))
  }, [online, canSend, reload, t])

  // While a message is on its way, ask again so "sendes" turns into "sendt" or "ikke sendt".
  const sending = links?.some(stillSending) === true
  useEffect(() => {
    if (!sending || !online) return
    const timer = window.setInterval(reload, POLL_MS)
    return () => window.clearInterval(timer)
  }, [sending, online, reload])

  // A revoked link loses its buttons: focus goes to the section, not to the top of the page.
  useEffect(() => {
    if (!refocus) return
    heading.current?.focus()
    setRefocus(false)
  }, [refocus])

  const replace = (link: RemoteLinkView) =>
    setLinks((old) => [link, ...(old ?? []).filter((l) => l.id !== link.id)].sort(newestFirst))

  return (
    <section className="remote-links-section no-print" aria-labelledby="remote-title">
      <h2 id="remote-title" ref={heading} tabIndex={-1}>
        {t('remote.title')}
      </h2>
      {!online ? (
        <p className="muted">{t('remote.offline')}</p>
      ) : !canSend ? (
        <p className="muted">{t('remote.signIn')}</p>
      ) : (
        <>
          <p className="hint">{t('remote.intro')}</p>
          <button
            type="button"
            className="primary"
            disabled={channels === null}
            onClick={() => setOpen({ kind: 'send' })}
          >
            {t('remote.send')}
          </button>
          <ErrorText message={error} />
          {links === null ? (
            !error && <p className="muted">{t('remote.loading')}</p>
          ) : links.length === 0 ? (
            <p>{t('remote.empty')}</p>
          ) : (
            <>
              <RemoteLinkList
                links={links}
                labelledBy="remote-title"
                onRevoke={(link) => setOpen({ kind: 'revoke', link })}
                onRemind={(link) => setOpen({ kind: 'remind', link })}
              />
              {links.some((l) => l.state === 'completed') && (
                <p className="hint">{t('remote.afterSync')}</p>
              )}
            </>
          )}
        </>
      )}
      {open?.kind === 'send' && channels && (
        <SendLinkDialog
          client={client}
          episodeId={props.episodeId}
          records={props.records}
          channels={channels}
          current={(id) => links?.find((l) => l.id === id)}
          onCreated={replace}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'revoke' && (
        <RevokeDialog
          link={open.link}
          onClose={(changed) => {
            setOpen(null)
            if (changed) {
              replace(changed)
              setRefocus(true)
            }
          }}
        />
      )}
      {open?.kind === 'remind' && (
        <RemindDialog
          link={open.link}
          onClose={(changed) => {
            setOpen(null)
            if (changed) {
              replace(changed)
              setRefocus(true)
            }
          }}
        />
      )}
    </section>
  )
}

function newestFirst(a: RemoteLinkView, b: RemoteLinkView): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0
}
