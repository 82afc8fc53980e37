import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'
import { AGE_GROUPS, type AgeGroup } from '../../core/index.ts'
import { useClientsStore } from '../../state/clients-store.ts'
import { isStorageError } from '../../state/errors.ts'
import { ErrorText } from '../shared/ErrorText.tsx'
import { storageErrorMessage } from '../shared/storage-error.ts'

type Problem = { field: 'code' | 'age' | 'form'; message: string } | null

const AGE_ERRORS = new Set(['invalid-birth-year', 'missing-age-group'])

/**
 * A new client: a code, and either a birth year or (when it is not known) an age group; age
 * decides the forms. Each error stands beside its field.
 */
export function NewClientForm() {
  const { t } = useTranslation()
  const create = useClientsStore((s) => s.create)
  const [, navigate] = useLocation()
  const [code, setCode] = useState('')
  const [birthYear, setBirthYear] = useState('')
  const [ageGroup, setAgeGroup] = useState<AgeGroup | ''>('')
  const [problem, setProblem] = useState<Problem>(null)
  const yearGiven = birthYear.trim() !== ''

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    if (code.trim() === '') {
      return setProblem({ field: 'code', message: t('storageError.invalid-code') })
    }
    const year = yearGiven ? Number(birthYear.trim()) : null
    const thisYear = new Date().getFullYear()
    if (year !== null && (!Number.isInteger(year) || year < thisYear - 120 || year > thisYear)) {
      return setProblem({ field: 'age', message: t('clients.badBirthYear') })
    }
    if (year === null && ageGroup === '') {
      return setProblem({ field: 'age', message: t('clients.needAge') })
    }
    try {
      const client = await create({
        code,
        birthYear: year,
        ...(year === null && ageGroup !== '' ? { ageGroup } : {}),
      })
      setCode('')
      setBirthYear('')
      setAgeGroup('')
      navigate(`/clients/${client.id}`)
    } catch (err) {
      const field = isStorageError(err)
        ? err.code === 'duplicate-code' || err.code === 'invalid-code'
          ? 'code'
          : AGE_ERRORS.has(err.code)
            ? 'age'
            : 'form'
        : 'form'
      setProblem({ field, message: storageErrorMessage(err, t) })
    }
  }

  const codeBad = problem?.field === 'code'
  const ageBad = problem?.field === 'age'
  return (
    <form
      className="inline-form new-client"
      onSubmit={onSubmit}
      aria-labelledby="new-client-title"
      noValidate
    >
      <h2 id="new-client-title">{t('clients.new')}</h2>
      <div className="field-group">
        <label className="field">
          <span>{t('clients.code')}</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            aria-describedby={codeBad ? 'code-help code-error' : 'code-help'}
            aria-invalid={codeBad}
            required
            maxLength={32}
          />
        </label>
        <p id="code-help" className="hint">
          {t('clients.codeHelp')}
        </p>
        <ErrorText message={codeBad ? problem.message : null} id="code-error" />
      </div>
      <fieldset className="field-group age-choice">
        <legend>{t('clients.age')}</legend>
        <div className="row">
          <label className="field">
            <span>{t('clients.birthYear')}</span>
            <input
              value={birthYear}
              onChange={(e) => setBirthYear(e.target.value)}
              inputMode="numeric"
              autoComplete="off"
              size={6}
              maxLength={4}
              aria-describedby={ageBad ? 'age-help age-error' : 'age-help'}
              aria-invalid={ageBad}
            />
          </label>
          <label className="field">
            <span>{t('clients.ageGroup')}</span>
            <select
              value={yearGiven ? '' : ageGroup}
              onChange={(e) => setAgeGroup(e.target.value as AgeGroup | '')}
              disabled={yearGiven}
              aria-describedby={ageBad ? 'age-help age-error' : 'age-help'}
              aria-invalid={ageBad && !yearGiven}
            >
              <option value="">
                {yearGiven ? t('clients.ageFromYear') : t('clients.chooseAgeGroup')}
              </option>
              {AGE_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`ageGroup.${g}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p id="age-help" className="hint">
          {t('clients.ageHelp')}
        </p>
        <ErrorText message={ageBad ? problem.message : null} id="age-error" />
      </fieldset>
      <button type="submit" className="primary">
        {t('clients.create')}
      </button>
      <ErrorText message={problem?.field === 'form' ? problem.message : null} />
    </form>
  )
}
