import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef } from 'react'

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** Where Tab stops in the dialog, in order: one radio per group (the checked one, if any). */
function tabStops(dialog: HTMLElement): HTMLElement[] {
  const all = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.getClientRects().length > 0,
  )
  return all.filter((el) => {
    if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || el.checked) return true
    const group = all.filter(
      (o) => o instanceof HTMLInputElement && o.type === 'radio' && o.name === el.name,
    ) as HTMLInputElement[]
    return !group.some((o) => o.checked) && group[0] === el
  })
}

/**
 * A modal <dialog>: focus moves into it and stays there (Tab from the last control goes to the
 * first, not to the browser's address bar), Escape cancels, and its title names it. When it
 * goes, focus goes back to the control that opened it (when that is still on the page).
 * The children get the title's id for their heading.
 */
export function ModalDialog(props: {
  onCancel: () => void
  children: (titleId: string) => ReactNode
  className?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const opener = document.activeElement
    const d = ref.current
    if (d && !d.open) d.showModal()
    return () => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus()
    }
  }, [])
  const keepFocusIn = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab' || !ref.current) return
    const stops = tabStops(ref.current)
    const first = stops[0]
    const last = stops[stops.length - 1]
    if (!first || !last) return
    const at = document.activeElement
    if (!e.shiftKey && at === last) {
      e.preventDefault()
      first.focus()
    } else if (e.shiftKey && (at === first || !stops.includes(at as HTMLElement))) {
      e.preventDefault()
      last.focus()
    }
  }
  return (
    <dialog
      ref={ref}
      className={props.className ?? 'record-dialog'}
      aria-labelledby={titleId}
      onKeyDown={keepFocusIn}
      onCancel={(e) => {
        e.preventDefault()
        props.onCancel()
      }}
    >
      {props.children(titleId)}
    </dialog>
  )
}
