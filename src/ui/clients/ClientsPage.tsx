import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { useClientsStore } from '../../state/clients-store.ts'
import { storageErrorMessage } from '../shared/storage-error.ts'

export function ClientsPage() {
  const { t } = useTranslation()
  const clients = useClientsStore((s) => s.clients)
  const refresh = useClientsStore((s) => s.refresh)
  const create = useClientsStore((s) => s.create)
  const [, navigate] = useLocation()
  const [code, setCode] = useState('')
  const [birthYear, setBirthYear] = useState('')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    void refresh()
  }, [refresh])

  const onCreate = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    const year = birthYear.trim() === '' ? null : Number(birthYear)
    const thisYear = new Date().getFullYear()
    if (year !== null && (!Number.isInteger(year) || year < thisYear - 120 || year > thisYear)) {
      setError(t('clients.badBirthYear'))
      return
    }
    try {
      const client = await create({ code, birthYear: year })
      setCode('')
      setBirthYear('')
      navigate(`/clients/${client.id}`)
    } catch (err) {
      setError(storageErrorMessage(err, t))
    }
  }

  return (
    <section className="panel" aria-labelledby="clients-title">
      <h1 id="clients-title">{t('clients.title')}</h1>
      <form className="inline-form" onSubmit={onCreate} aria-labelledby="new-client-title">
        <h2 id="new-client-title">{t('clients.new')}</h2>
        <label className="field">
          <span>{t('clients.code')}</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            aria-describedby="code-help"
            required
            maxLength={32}
          />
        </label>
        <label className="field">
          <span>{t('clients.birthYear')}</span>
          <input
            value={birthYear}
            onChange={(e) => setBirthYear(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            placeholder="2010"
          />
        </label>
        <button type="submit" className="primary">
          {t('clients.create')}
        </button>
        <p id="code-help" className="hint">
          {t('clients.codeHelp')}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      {clients.length === 0 ? (
        <p>{t('clients.none')}</p>
      ) : (
        <ul className="client-list">
          {clients.map((c) => (
            <li key={c.id}>
              <Link href={`/clients/${c.id}`}>{c.code}</Link>
              <span className="muted">{t(`ageGroup.${c.ageGroup}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
