/**
 * A small count beside a menu entry. The number is for the eye; a screen reader hears the words
 * (`label`, e.g. "2 open requests") as part of the link's name instead of a bare number.
 */
export function CountBadge({ count, label }: { count: number; label: string }) {
  if (count <= 0) return null
  return (
    <>
      {' '}
      <span className="count-badge" aria-hidden="true">
        {count}
      </span>
      <span className="sr-only">{label}</span>
    </>
  )
}
