import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { forgetThisDevice, lockNow, unsentChanges } from '../../state/lock-store.ts'

/** Lock now, and forget this tablet (with a warning about changes not yet sent). */
export function DeviceSecurity() {
  const { t } = useTranslation()
  const [unsent, setUnsent] = useState<number | null>(null)
  const [done, setDone] = useState(false)

  const forget = async () => {
    await forgetThisDevice()
    setUnsent(null)
    setDone(true)
  }

  return (
    <section aria-labelledby="forget-title">
      <button type="button" onClick={() => lockNow()}>
        {t('lock.lockNow')}
      </button>
      <h2 id="forget-title">{t('lock.forgetTitle')}</h2>
      <p>{t('lock.forgetHelp')}</p>
      {unsent === null ? (
        <button
          type="button"
          onClick={async () => {
            const n = await unsentChanges()
            if (n === 0) await forget()
            else setUnsent(n)
          }}
        >
          {t('lock.forget')}
        </button>
      ) : (
        <div className="notice bad" role="alert">
          <p>{t('lock.forgetUnsent', { count: unsent })}</p>
          <div className="row">
            <button type="button" onClick={() => setUnsent(null)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="danger" onClick={() => void forget()}>
              {t('lock.forgetConfirm')}
            </button>
          </div>
        </div>
      )}
      {done && <p role="status">{t('lock.forgotten')}</p>}
    </section>
  )
}
