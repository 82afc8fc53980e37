import type { TFunction } from 'i18next'
import { useEffect, useRef, useState } from 'react'
import { PinField } from '../shared/PinField.tsx'

/**
 * Asks for the practitioner's PIN; the client cannot leave client mode without it. `onSubmit`
 * answers true (done), false (wrong PIN) or a problem to show.
 */
export function PinDialog(props: {
  title: string
  onSubmit: (pin: string) => Promise<boolean | string>
  onCancel: () => void
  t: TFunction
}) {
  const { title, onSubmit, onCancel, t } = props
  const ref = useRef<HTMLDialogElement>(null)
  const [pin, setPin] = useState('')
  const [wrong, setWrong] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
  }, [])

  return (
    <dialog ref={ref} className="pin-dialog" aria-labelledby="pin-title" onCancel={onCancel}>
      <form
        method="dialog"
        onSubmit={async (e) => {
          e.preventDefault()
          setBusy(true)
          try {
            const answer = await onSubmit(pin)
            setWrong(answer === false)
            setProblem(typeof answer === 'string' ? answer : null)
            if (answer !== true) setPin('')
          } finally {
            setBusy(false)
          }
        }}
      >
        <h2 id="pin-title">{title}</h2>
        <PinField
          label={t('pin.label')}
          value={pin}
          onChange={setPin}
          invalid={wrong}
          describedBy={wrong ? 'pin-error' : undefined}
        />
        {wrong && (
          <p id="pin-error" className="error" role="alert">
            {t('pin.wrong')}
          </p>
        )}
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || pin.length < 4}>
            {t('pin.unlock')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
