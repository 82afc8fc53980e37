import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isSyncHttpError } from '../../state/errors.ts'
import { chooseOwnPassword } from '../../state/own-password.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { syncErrorText } from './sync-words.ts'

/**
 * After an administrator set someone's password, the first thing after signing in: the person
 * chooses their own. No client screen opens before (the server refuses everything else too).
 */
export function ChoosePassword() {
  const { t } = useTranslation()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    if (next.length < 10) return setError(t('admin.passwordShort'))
    if (next !== repeat) return setError(t('adminPassword.mismatch'))
    if (next === current) return setError(t('choosePassword.same'))
    setError(null)
    setBusy(true)
    try {
      await chooseOwnPassword(current, next)
    } catch (err) {
      const code = isSyncHttpError(err) ? err.code : undefined
      setError(
        code === 'wrong_password'
          ? t('choosePassword.wrongCurrent')
          : code === 'same_password'
            ? t('choosePassword.same')
            : syncErrorText(err, t),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="panel" aria-labelledby="choose-password-title">
      <h1 id="choose-password-title">{t('choosePassword.title')}</h1>
      <p>{t('choosePassword.help')}</p>
      <form className="inline-form" onSubmit={onSubmit} noValidate>
        <label className="field">
          <span>{t('choosePassword.current')}</span>
          <input
            type="password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        <label className="field">
          <span>{t('choosePassword.new')}</span>
          <input
            type="password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            autoComplete="new-password"
            minLength={10}
            required
          />
        </label>
        <label className="field">
          <span>{t('adminPassword.repeat')}</span>
          <input
            type="password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            autoComplete="new-password"
            required
          />
        </label>
        <ErrorText message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('choosePassword.save')}
        </button>
      </form>
    </section>
  )
}
