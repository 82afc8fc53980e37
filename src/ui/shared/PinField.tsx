import type { ReactNode } from 'react'

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
