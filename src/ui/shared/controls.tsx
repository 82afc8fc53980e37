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
