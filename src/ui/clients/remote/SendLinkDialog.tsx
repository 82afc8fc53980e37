import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  extraPackLanguages,
  formsForAge,
  getInstrument,
  LOCALES,
  type Rater,
} from '../../../core/index.ts'
import { type Administration, type Client, nextSessionIn } from '../../../state/clients-store.ts'
import { cleanAddress, type RemoteLinkView } from '../../../state/remote-link-rules.ts'
import {
  type CreatedRemoteLink,
  createRemoteLink,
  type NewRemoteLink,
  type RemoteChannels,
} from '../../../state/remote-links.ts'
import { useTextPackStore } from '../../../state/text-pack-store.ts'
import { useUiStore } from '../../../state/ui-store.ts'
import { ClientLanguageSelect } from '../../session/ClientLanguageSelect.tsx'
import { RaterSelect } from '../../session/RaterSelect.tsx'
import { ErrorText } from '../../shared/ErrorText.tsx'
import { ModalDialog } from '../../shared/ModalDialog.tsx'
import { LinkResult } from './LinkResult.tsx'
import { remoteErrorText } from './remote-errors.ts'

type Channel = 'show' | 'email' | 'sms'
type Problem = 'email' | 'sms' | 'session' | null

/**
 * "Send lenke": the form (the client's age decides which), who rates, the language, the session
 * and how the link goes; then, once, the codes to give the client.
 */
export function SendLinkDialog(props: {
  client: Client
  episodeId: string
  records: Administration[]
  channels: RemoteChannels
  /** The link as the list last fetched it: its sending status while the dialog is open. */
  current: (id: string) => RemoteLinkView | undefined
  onCreated: (link: RemoteLinkView) => void
  onClose: () => void
}) {
  const { client, episodeId, records, channels } = props
  const { t } = useTranslation()
  const practitionerLocale = useUiStore((s) => s.locale)
  const forms = formsForAge(client.ageGroup)
  const [form, setForm] = useState(forms.outcome)
  const [rater, setRater] = useState<Rater>('client')
  // The client's page speaks nb, nn or en, or a language the organisation's text pack adds.
  const [language, setLanguage] = useState<string>(practitionerLocale)
  const pack = useTextPackStore((s) => s.pack)
  const [session, setSession] = useState(() => String(nextSessionIn(records, episodeId, form)))
  const [channel, setChannel] = useState<Channel>('show')
  const [to, setTo] = useState('')
  const [codeBy, setCodeBy] = useState<'tell' | 'message'>('tell')
  const [problem, setProblem] = useState<Problem>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [created, setCreated] = useState<CreatedRemoteLink | null>(null)

  const raters = getInstrument(form).raters
  const chosenRater = raters.includes(rater) ? rater : 'client'
  const extra = extraPackLanguages(pack, form)
  const locale =
    (LOCALES as readonly string[]).includes(language) || extra.includes(language)
      ? language
      : practitionerLocale
  const offered: Channel[] = [
    ...(channels.email ? (['email'] as const) : []),
    ...(channels.sms ? (['sms'] as const) : []),
    'show',
  ]

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    const number = Number(session)
    if (!Number.isInteger(number) || number < 1) return setProblem('session')
    let delivery: NewRemoteLink['delivery'] = { channel: 'show', code: 'tell' }
    if (channel !== 'show') {
      const address = cleanAddress(channel, to)
      if (address === null) return setProblem(channel)
      delivery = { channel, to: address, code: codeBy }
    }
    setProblem(null)
    setBusy(true)
    try {
      const answer = await createRemoteLink({
        clientId: client.id,
        episodeId,
        session: number,
        instrumentId: form,
        rater: chosenRater,
        locale,
        delivery,
      })
      // The address leaves memory with the form: only the server had it, to send.
      setTo('')
      setCreated(answer)
      props.onCreated(answer.link)
    } catch (err) {
      setError(remoteErrorText(err, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <ModalDialog onCancel={props.onClose} className="record-dialog remote-dialog">
      {(titleId) =>
        created ? (
          <LinkResult
            titleId={titleId}
            created={created}
            link={props.current(created.link.id) ?? created.link}
            codeBy={created.link.channel === 'show' ? 'tell' : codeBy}
            onClose={props.onClose}
          />
        ) : (
          <form onSubmit={submit} noValidate aria-busy={busy}>
            <h2 id={titleId}>{t('remote.dialogTitle')}</h2>
            <p className="hint">{t('remote.intro')}</p>
            <fieldset className="choice-row">
              <legend>{t('remote.form')}</legend>
              {[forms.outcome, forms.session].map((id) => (
                <label key={id} className="choice">
                  <input
                    type="radio"
                    name="remote-form"
                    value={id}
                    checked={form === id}
                    onChange={() => {
                      setForm(id)
                      setSession(String(nextSessionIn(records, episodeId, id)))
                    }}
                  />
                  <span>
                    {id} <span className="muted">– {t(`formPurpose.${id}`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="row">
              <RaterSelect raters={raters} value={chosenRater} onChange={setRater} />
              <ClientLanguageSelect
                value={locale}
                extra={extra}
                practitionerLocale={practitionerLocale}
                onChange={setLanguage}
              />
              <label className="field session-field">
                <span>{t('remote.session')}</span>
                <input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={session}
                  aria-invalid={problem === 'session'}
                  aria-describedby="remote-session-help"
                  onChange={(e) => setSession(e.target.value)}
                />
              </label>
            </div>
            <p id="remote-session-help" className="hint">
              {t('remote.sessionHelp')}
            </p>
            <ErrorText message={problem === 'session' ? t('remote.bad.session') : null} />
            <fieldset className="choice-row">
              <legend>{t('remote.how')}</legend>
              {offered.map((c) => (
                <label key={c} className="choice">
                  <input
                    type="radio"
                    name="remote-channel"
                    value={c}
                    checked={channel === c}
                    onChange={() => {
                      setChannel(c)
                      setProblem(null)
                    }}
                  />
                  <span>{t(`remote.channel.${c}`)}</span>
                </label>
              ))}
            </fieldset>
            {(!channels.email || !channels.sms) && (
              <p className="hint">
                {[
                  channels.email ? null : t('remote.channelOff.email'),
                  channels.sms ? null : t('remote.channelOff.sms'),
                ]
                  .filter((s) => s !== null)
                  .join(' ')}
              </p>
            )}
            {channel !== 'show' && (
              <>
                <label className="field wide">
                  <span>{t(`remote.to.${channel}`)}</span>
                  <input
                    type={channel === 'email' ? 'email' : 'tel'}
                    autoComplete="off"
                    value={to}
                    aria-invalid={problem === channel}
                    aria-describedby="remote-to-help"
                    onChange={(e) => {
                      setTo(e.target.value)
                      if (problem === channel) setProblem(null)
                    }}
                  />
                </label>
                <p id="remote-to-help" className="hint">
                  {t('remote.toHelp')}
                </p>
                <ErrorText message={problem === channel ? t(`remote.bad.${channel}`) : null} />
                <fieldset className="choice-column">
                  <legend>{t('remote.codeHow')}</legend>
                  <label className="choice">
                    <input
                      type="radio"
                      name="remote-code"
                      checked={codeBy === 'tell'}
                      onChange={() => setCodeBy('tell')}
                    />
                    <span>{t('remote.codeTell')}</span>
                  </label>
                  <label className="choice">
                    <input
                      type="radio"
                      name="remote-code"
                      checked={codeBy === 'message'}
                      onChange={() => setCodeBy('message')}
                    />
                    <span>{t('remote.codeMessage')}</span>
                  </label>
                </fieldset>
              </>
            )}
            <ErrorText message={error} />
            <div className="dialog-actions">
              <button type="button" onClick={props.onClose}>
                {t('common.cancel')}
              </button>
              <button type="submit" className="primary" disabled={busy}>
                {busy ? t('remote.busy') : t(`remote.create.${channel}`)}
              </button>
            </div>
          </form>
        )
      }
    </ModalDialog>
  )
}
