import { FACE_FILL, type Mood, mouthPath } from '../shared/faces.ts'

export function Face({
  mood,
  className,
  size = 64,
}: {
  mood: Mood
  className?: string
  size?: number
}) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 64 64"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="32" cy="32" r="29" fill={FACE_FILL[mood]} stroke="#1b2a30" strokeWidth="3" />
      <circle cx="22" cy="25" r="4" fill="#1b2a30" />
      <circle cx="42" cy="25" r="4" fill="#1b2a30" />
      <path
        d={mouthPath(mood)}
        fill="none"
        stroke="#1b2a30"
        strokeWidth="3.5"
        strokeLinecap="round"
      />
    </svg>
  )
}
