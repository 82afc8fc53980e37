import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { REMOTE_LINK_HOURS } from '../../core/remote-link-codes.ts'
import { isSyncHttpError } from '../../state/errors.ts'
import { apiJson } from '../../state/online-api.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'
import { ReportFactsProgress } from './ReportFactsProgress.tsx'

interface Trajectory {
  a: number
  b: number
  targetOffset: number
  atRiskOffset: number
  n: number
  source: 'default' | 'fitted'
  fittedAt?: string
}
interface OrgSettingsData {
  cutoffOverrides: Partial<Record<CutoffKey, number>>
  trajectory: Trajectory | null
  idleLockMinutes: number
  sessionIdleDays: number
  sessionMaxDays: number
  accessLogRetentionYears: number
  twoFactorForAll: boolean
  /** How long a remote link to a client stays valid (1 hour to 30 days). */
  remoteLinkHours: number
}
const CUTOFFS = ['orsAdultCutoff', 'orsAdolescentCutoff', 'corsChildCutoff', 'srsCutoff'] as const
type CutoffKey = (typeof CUTOFFS)[number]

const HOURS = REMOTE_LINK_HOURS
const wholeIn = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max

/** Organisation settings: local cut-offs, the trajectory (fitted on our own closed episodes), idle lock, sign-in limits, two-factor for all. */
export function OrgSettings() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [data, setData] = useState<OrgSettingsData | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [fitted, setFitted] = useState<Trajectory | null>(null)
  const [saves, setSaves] = useState(0)

  useEffect(() => {
    apiJson<OrgSettingsData>('/api/admin/settings').then(setData, (err: unknown) =>
      setError(syncErrorText(err, t)),
    )
  }, [t])

  if (!data) return <ErrorText message={error} />

  const save = async (next: OrgSettingsData) => {
    setError(null)
    setMessage(null)
    try {
      setData(await apiJson<OrgSettingsData>('/api/admin/settings', { method: 'PUT', body: next }))
      setMessage(t('org.saved'))
      setSaves((n) => n + 1)
    } catch (err) {
      setError(
        isSyncHttpError(err) && err.status === 400 ? t('org.invalid') : syncErrorText(err, t),
      )
    }
  }

  const fitOnClosedEpisodes = async () => {
    setError(null)
    setMessage(null)
    try {
      const answer = await apiJson<{ n: number; params: Trajectory }>(
        '/api/admin/settings/fit-trajectory',
        {
          method: 'POST',
        },
      )
      setFitted(answer.params)
      setMessage(t('org.fitted', { n: answer.n }))
    } catch (err) {
      if (isSyncHttpError(err) && err.code === 'too_few_episodes') {
        const body = err.body as { n?: number; minimum?: number }
        setError(t('org.tooFew', { n: body.n ?? 0, minimum: body.minimum ?? 0 }))
      } else setError(syncErrorText(err, t))
    }
  }

  return (
    <section aria-labelledby="org-title">
      <h2 id="org-title">{t('org.title')}</h2>
      <form
        className="inline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const cutoffs = Object.values(data.cutoffOverrides)
          const valid =
            Number.isInteger(data.idleLockMinutes) &&
            data.idleLockMinutes >= 1 &&
            data.idleLockMinutes <= 120 &&
            cutoffs.every((v) => Number.isFinite(v) && v >= 0 && v <= 40)
          if (
            !valid ||
            !wholeIn(data.sessionIdleDays, 1, 365) ||
            !wholeIn(data.sessionMaxDays, 1, 3650) ||
            !wholeIn(data.accessLogRetentionYears, 2, 30)
          ) {
            setMessage(null)
            setError(t('org.invalid'))
            return
          }
          if (!wholeIn(data.remoteLinkHours, HOURS.minimum, HOURS.maximum)) {
            setMessage(null)
            setError(t('org.remoteLinkHoursInvalid'))
            return
          }
          if (data.sessionIdleDays > data.sessionMaxDays) {
            setMessage(null)
            setError(t('org.sessionLimitsOrder'))
            return
          }
          void save(data)
        }}
      >
        <label className="field">
          <span>{t('org.idleLock')}</span>
          <input
            type="number"
            min={1}
            max={120}
            value={data.idleLockMinutes}
            onChange={(e) => setData({ ...data, idleLockMinutes: Number(e.target.value) })}
          />
        </label>
        <label className="field">
          <span>{t('org.sessionIdleDays')}</span>
          <input
            type="number"
            min={1}
            max={365}
            value={data.sessionIdleDays}
            onChange={(e) => setData({ ...data, sessionIdleDays: Number(e.target.value) })}
          />
        </label>
        <label className="field">
          <span>{t('org.sessionMaxDays')}</span>
          <input
            type="number"
            min={1}
            max={3650}
            value={data.sessionMaxDays}
            onChange={(e) => setData({ ...data, sessionMaxDays: Number(e.target.value) })}
          />
        </label>
        <label className="field">
          <span>{t('org.accessLogYears')}</span>
          <input
            type="number"
            min={2}
            max={30}
            value={data.accessLogRetentionYears}
            onChange={(e) => setData({ ...data, accessLogRetentionYears: Number(e.target.value) })}
          />
        </label>
        <label className="field">
          <span>{t('org.remoteLinkHours')}</span>
          <input
            type="number"
            min={HOURS.minimum}
            max={HOURS.maximum}
            value={data.remoteLinkHours}
            aria-describedby="remote-link-days"
            onChange={(e) => setData({ ...data, remoteLinkHours: Number(e.target.value) })}
          />
          <span id="remote-link-days" className="muted">
            {Number.isInteger(data.remoteLinkHours / 24) && data.remoteLinkHours > 0
              ? t('org.remoteLinkDays', { count: data.remoteLinkHours / 24 })
              : ''}
          </span>
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={data.twoFactorForAll}
            aria-describedby="two-factor-for-all-help"
            onChange={(e) => setData({ ...data, twoFactorForAll: e.target.checked })}
          />
          <span>{t('org.twoFactorForAll')}</span>
        </label>
        <p id="two-factor-for-all-help" className="muted">
          {t('org.twoFactorForAllHelp')}
        </p>
        {CUTOFFS.map((key) => (
          <label key={key} className="field">
            <span>{t(`org.cutoff.${key}`)}</span>
            <input
              inputMode="decimal"
              placeholder={t('org.default')}
              value={data.cutoffOverrides[key] ?? ''}
              onChange={(e) => {
                const text = e.target.value.replace(',', '.').trim()
                const overrides = { ...data.cutoffOverrides }
                if (text === '') delete overrides[key]
                else overrides[key] = Number(text)
                setData({ ...data, cutoffOverrides: overrides })
              }}
            />
          </label>
        ))}
        <button type="submit" className="primary">
          {t('org.save')}
        </button>
      </form>
      <p>
        {data.trajectory
          ? t('org.trajectoryFitted', {
              n: data.trajectory.n,
              date: data.trajectory.fittedAt ? fmt.date(data.trajectory.fittedAt) : '–',
            })
          : t('org.trajectoryDefault')}
      </p>
      <div className="row">
        <button type="button" onClick={() => void fitOnClosedEpisodes()}>
          {t('org.fit')}
        </button>
        {fitted && (
          <button
            type="button"
            className="primary"
            onClick={() => void save({ ...data, trajectory: fitted })}
          >
            {t('org.useFitted', { n: fitted.n })}
          </button>
        )}
        {data.trajectory && (
          <button type="button" onClick={() => void save({ ...data, trajectory: null })}>
            {t('org.useDefault')}
          </button>
        )}
      </div>
      {message && <p role="status">{message}</p>}
      <ReportFactsProgress key={saves} />
      <ErrorText message={error} />
    </section>
  )
}
