import { type ReactNode, useEffect, useId, useRef } from 'react'

/**
 * A modal <dialog>: focus moves into it and stays there, Escape cancels, and its title names it.
 * When it goes, focus goes back to the control that opened it (when that is still on the page).
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
  return (
    <dialog
      ref={ref}
      className={props.className ?? 'record-dialog'}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        props.onCancel()
      }}
    >
      {props.children(titleId)}
    </dialog>
  )
}
