import { type ReactNode, useEffect, useId, useRef } from 'react'

/**
 * A modal <dialog>: focus moves into it and stays there, Escape cancels, and its title names it.
 * The children get the title's id for their heading.
 */
export function ModalDialog(props: {
  onCancel: () => void
  children: (titleId: string) => ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  return (
    <dialog
      ref={ref}
      className="record-dialog"
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
