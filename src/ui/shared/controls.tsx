import type { ReactNode } from 'react'

/** A fieldset of checkboxes for choosing several of a list (roles, units, supervisors). */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  chosen,
  onChange,
  empty,
}: {
  legend: string
  options: readonly { value: T; label: string }[]
  chosen: readonly T[]
  onChange: (next: T[]) => void
  /** Said instead of the boxes when there is nothing to choose. */
  empty?: string
}) {
  return (
    <fieldset className="choice-row">
      <legend>{legend}</legend>
      {options.length === 0 && empty && <p className="muted">{empty}</p>}
      {options.map((o) => (
        <label key={o.value} className="choice">
          <input
            type="checkbox"
            checked={chosen.includes(o.value)}
            onChange={(e) =>
              onChange(
                e.target.checked
                  ? [...chosen.filter((x) => x !== o.value), o.value]
                  : chosen.filter((x) => x !== o.value),
              )
            }
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  )
}

/** A button that asks first (window.confirm) and acts only on yes. */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  onConfirm,
}: {
  label: string
  ariaLabel?: string
  question: string
  onConfirm: () => void
}) {
  return (
    <button
      type="button"
      aria-label={ariaLabel}
      onClick={() => {
        if (window.confirm(question)) onConfirm()
      }}
    >
      {label}
    </button>
  )
}

/**
 * A labelled PIN field: digits only (others are dropped as typed), 4–8 long, hidden, with the
 * numeric keyboard on a tablet. `autoComplete`: 'new-password' where a PIN is chosen.
 */
export function PinField({
  label,
  value,
  onChange,
  autoComplete = 'off',
  invalid,
  describedBy,
  children,
}: {
  label: string
  value: string
  onChange: (digits: string) => void
  autoComplete?: 'off' | 'new-password' | 'current-password'
  invalid?: boolean
  describedBy?: string | undefined
  children?: ReactNode
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        type="password"
        inputMode="numeric"
        autoComplete={autoComplete}
        pattern="[0-9]*"
        maxLength={8}
        value={value}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
      />
      {children}
    </label>
  )
}
