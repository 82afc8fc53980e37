import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type AccessRequest,
  fetchLeaderAccess,
  type JoinerRequest,
  type LeaderAccessView,
  sendAccessRequest,
} from '../../state/access-requests.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'

const ROLES = ['practitioner', 'supervisor', 'leader'] as const

/** A unit leader asks the administrator for a joiner's access or reports a leaver's last day. */
export function StaffAccess() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [view, setView] = useState<LeaderAccessView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [joiner, setJoiner] = useState({
    unitId: '',
    displayName: '',
    username: '',
    email: '',
    role: 'practitioner' as JoinerRequest['role'],
  })
  const [leaver, setLeaver] = useState({ unitId: '', personId: '', lastDay: '' })

  const load = useCallback(async () => {
    try {
      const got = await fetchLeaderAccess()
      setView(got)
      const first = got.units[0]?.id ?? ''
      setJoiner((j) => ({ ...j, unitId: j.unitId || first }))
      setLeaver((l) => ({ ...l, unitId: l.unitId || first }))
    } catch (err) {
      setError(syncErrorText(err, t))
    }
  }, [t])
  useEffect(() => void load(), [load])

  const send = async (run: () => Promise<AccessRequest>) => {
    setError(null)
    setDone(null)
    try {
      await run()
      setDone(t('access.sent'))
      await load()
      return true
    } catch (err) {
      setError(syncErrorText(err, t))
      return false
    }
  }
  const onJoiner = (e: FormEvent) => {
    e.preventDefault()
    if (!joiner.username.trim() && !joiner.email.trim())
      return setError(t('access.usernameOrEmail'))
    void send(() =>
      sendAccessRequest({
        kind: 'joiner',
        unitId: joiner.unitId,
        displayName: joiner.displayName.trim(),
        role: joiner.role,
        ...(joiner.username.trim() ? { username: joiner.username.trim() } : {}),
        ...(joiner.email.trim() ? { email: joiner.email.trim() } : {}),
      }),
    ).then((ok) => ok && setJoiner((j) => ({ ...j, displayName: '', username: '', email: '' })))
  }
  const onLeaver = (e: FormEvent) => {
    e.preventDefault()
    void send(() => sendAccessRequest({ kind: 'leaver', ...leaver })).then(
      (ok) => ok && setLeaver((l) => ({ ...l, personId: '', lastDay: '' })),
    )
  }

  if (view && view.units.length === 0) {
    return (
      <section aria-labelledby="staff-access-title">
        <h2 id="staff-access-title">{t('access.title')}</h2>
        <p className="muted">{t('access.noUnits')}</p>
      </section>
    )
  }
  // Each form names its unit field apart: the report above has its own 'Enhet'.
  const unitSelect = (
    label: 'access.joinerUnit' | 'access.leaverUnit',
    value: string,
    onChange: (unitId: string) => void,
  ) =>
    view && view.units.length > 1 ? (
      <label className="field">
        <span>{t(label)}</span>
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          {view.units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
    ) : null
  const staff = view?.staff.filter((s) => s.unitIds.includes(leaver.unitId)) ?? []

  return (
    <section aria-labelledby="staff-access-title" className="staff-access">
      <h2 id="staff-access-title">{t('access.title')}</h2>
      <p className="muted">{t('access.help')}</p>
      <ErrorText message={error} />
      <p className="muted" role="status">
        {done}
      </p>
      <form className="inline-form" onSubmit={onJoiner} aria-labelledby="joiner-title">
        <h3 id="joiner-title">{t('access.joinerTitle')}</h3>
        {unitSelect('access.joinerUnit', joiner.unitId, (unitId) =>
          setJoiner({ ...joiner, unitId }),
        )}
        <label className="field">
          <span>{t('access.name')}</span>
          <input
            value={joiner.displayName}
            onChange={(e) => setJoiner({ ...joiner, displayName: e.target.value })}
            required
            maxLength={100}
          />
        </label>
        <label className="field">
          <span>{t('access.username')}</span>
          <input
            value={joiner.username}
            onChange={(e) => setJoiner({ ...joiner, username: e.target.value })}
            autoComplete="off"
          />
        </label>
        <label className="field">
          <span>{t('access.email')}</span>
          <input
            type="email"
            value={joiner.email}
            onChange={(e) => setJoiner({ ...joiner, email: e.target.value })}
            autoComplete="off"
          />
        </label>
        <label className="field">
          <span>{t('access.role')}</span>
          <select
            value={joiner.role}
            onChange={(e) =>
              setJoiner({ ...joiner, role: e.target.value as JoinerRequest['role'] })
            }
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('access.send')}
        </button>
      </form>
      <form className="inline-form" onSubmit={onLeaver} aria-labelledby="leaver-title">
        <h3 id="leaver-title">{t('access.leaverTitle')}</h3>
        {unitSelect('access.leaverUnit', leaver.unitId, (unitId) =>
          setLeaver({ ...leaver, unitId, personId: '' }),
        )}
        <label className="field">
          <span>{t('access.person')}</span>
          <select
            value={leaver.personId}
            onChange={(e) => setLeaver({ ...leaver, personId: e.target.value })}
            required
          >
            <option value="">{t('access.choosePerson')}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.displayName}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('access.lastDay')}</span>
          <input
            type="date"
            value={leaver.lastDay}
            onChange={(e) => setLeaver({ ...leaver, lastDay: e.target.value })}
            required
          />
        </label>
        <button type="submit" className="primary">
          {t('access.report')}
        </button>
      </form>
      <h3>{t('access.mine')}</h3>
      <RequestList requests={view?.requests ?? []} empty={t('access.none')} fmt={fmt} />
    </section>
  )
}

/** Requests as a list: who, what, the answer. */
export function RequestList({
  requests,
  empty,
  fmt,
  actions,
}: {
  requests: AccessRequest[]
  empty: string
  fmt: ReturnType<typeof useFormat>
  actions?: (r: AccessRequest) => React.ReactNode
}) {
  const { t } = useTranslation()
  if (requests.length === 0) return <p className="muted">{empty}</p>
  return (
    <ul className="request-list">
      {requests.map((r) => (
        <li key={r.id} className="request">
          <strong>{r.kind === 'joiner' ? r.displayName : r.personName}</strong>{' '}
          <span>
            {t(`access.kind_${r.kind}`)} · {r.unitName}
            {r.kind === 'joiner' && r.role ? ` · ${t(`role.${r.role}`)}` : ''}
            {r.kind === 'joiner' ? ` · ${[r.username, r.email].filter(Boolean).join(', ')}` : ''}
            {r.kind === 'leaver' && r.accessEndsAt
              ? ` · ${t('access.endsAt', { time: fmt.dateTime(r.accessEndsAt) })}`
              : ''}
          </span>{' '}
          <span className={`badge status-${r.status}`}>{t(`access.status_${r.status}`)}</span>
          <br />
          <span className="muted">
            {t('access.requestedBy', {
              name: r.requestedByName,
              time: fmt.dateTime(r.requestedAt),
            })}
          </span>
          {actions?.(r)}
        </li>
      ))}
    </ul>
  )
}
