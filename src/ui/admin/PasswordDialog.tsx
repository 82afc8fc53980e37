import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type PersonView, resetPassword } from '../../state/admin-store.ts'
import { ErrorText } from '../shared/ErrorText.tsx'

/**
 * Sets a temporary password for someone (never in a browser prompt, never shown in the clear
 * unless asked): the person is signed out everywhere and must choose their own at the next sign-in.
 */
export function PasswordDialog({
  person,
  act,
  onDone,
}: {
  person: PersonView
  act: (run: () => Promise<void>) => Promise<boolean>
  onDone: (set: boolean) => void
}) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [visible, setVisible] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
  }, [])

  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    if (password.length < 10) return setError(t('admin.passwordShort'))
    if (password !== repeat) return setError(t('adminPassword.mismatch'))
    setError(null)
    void act(() => resetPassword(person.id, password)).then((ok) => ok && onDone(true))
  }

  return (
    <dialog
      ref={ref}
      className="record-dialog"
      aria-labelledby="password-title"
      onCancel={() => onDone(false)}
    >
      <form onSubmit={onSubmit} noValidate>
        <h2 id="password-title">{t('adminPassword.title', { name: person.displayName })}</h2>
        <p>{t('adminPassword.help', { name: person.displayName })}</p>
        <label className="field wide">
          <span>{t('adminPassword.new')}</span>
          <input
            type={visible ? 'text' : 'password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            minLength={10}
            required
          />
        </label>
        <label className="field wide">
          <span>{t('adminPassword.repeat')}</span>
          <input
            type={visible ? 'text' : 'password'}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            autoComplete="new-password"
            required
          />
        </label>
        <label className="choice">
          <input type="checkbox" checked={visible} onChange={(e) => setVisible(e.target.checked)} />
          <span>{t('adminPassword.show')}</span>
        </label>
        <ErrorText message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={() => onDone(false)}>
            {t('admin.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('adminPassword.set')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
