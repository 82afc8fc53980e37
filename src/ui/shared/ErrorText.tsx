/** A message about what went wrong, read out at once by screen readers; nothing when there is none. */
export function ErrorText({ message, id }: { message: string | null; id?: string }) {
  if (!message) return null
  return (
    <p className="error" role="alert" id={id}>
      {message}
    </p>
  )
}
