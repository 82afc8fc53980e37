import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { SetPinForm } from '../settings/SetPinForm.tsx'

/**
 * A new tablet has no key: before the first client it needs a PIN (or an online login, which
 * makes the key and lets the password open it too), so no record is ever stored in the clear.
 */
export function FirstUse() {
  const { t } = useTranslation()
  return (
    <section className="panel" aria-labelledby="first-use-title">
      <h1 id="first-use-title">{t('lock.firstTitle')}</h1>
      <p>{t('lock.firstHelp')}</p>
      <SetPinForm level={2} onDone={() => undefined} />
      <p>
        <Link href="/account">{t('lock.firstSignIn')}</Link>
      </p>
    </section>
  )
}
