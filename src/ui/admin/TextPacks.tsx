import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isSyncHttpError } from '../../state/errors.ts'
import { apiJson } from '../../state/online-api.ts'
import { syncErrorText } from '../account/sync-words.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { useFormat } from '../shared/use-format.ts'

interface PackSummary {
  id: string
  version: string
  licensee: string
  entries: number
  active: boolean
  uploadedAt: string
}

/** Upload of the organisation's licensed instrument wording; a bad pack is refused with every reason. */
export function TextPacks() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [packs, setPacks] = useState<PackSummary[]>([])
  const [problems, setProblems] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const refresh = useCallback(async () => {
    setPacks(await apiJson<PackSummary[]>('/api/admin/text-packs'))
  }, [])
  useEffect(() => {
    refresh().catch(() => undefined)
  }, [refresh])

  const upload = async (file: File) => {
    setError(null)
    setMessage(null)
    setProblems([])
    let body: unknown
    try {
      body = JSON.parse(await file.text())
    } catch {
      setError(t('packs.notJson'))
      return
    }
    try {
      await apiJson('/api/admin/text-packs', { method: 'POST', body })
      setMessage(t('packs.uploaded'))
      await refresh()
    } catch (err) {
      if (isSyncHttpError(err) && err.code === 'invalid_text_pack') {
        const list = (err.body as { errors?: { path: string; message: string }[] }).errors ?? []
        setError(t('packs.refused', { count: list.length }))
        setProblems(list.map((p) => `${p.path}: ${p.message}`))
      } else setError(syncErrorText(err, t))
    }
  }

  return (
    <section aria-labelledby="packs-title">
      <h2 id="packs-title">{t('packs.title')}</h2>
      <p>{t('packs.help')}</p>
      <label className="field">
        <span>{t('packs.upload')}</span>
        <input
          type="file"
          accept="application/json,.json"
          onChange={(e) => {
            const file = e.target.files?.[0]
            if (file) void upload(file)
            e.target.value = ''
          }}
        />
      </label>
      {message && <p role="status">{message}</p>}
      <ErrorText message={error} />
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {packs.length > 0 && (
        <ul>
          {packs.map((p) => (
            <li key={p.id}>
              {p.licensee} · {t('packs.version', { version: p.version })} ·{' '}
              {fmt.dateTime(p.uploadedAt)}
              {p.active ? ` · ${t('packs.active')}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
