export type Mood = 'very-sad' | 'sad' | 'neutral' | 'happy' | 'very-happy'

// Mouth curvature per mood: negative frowns, positive smiles. Drawn by us, not taken from any form.
const MOUTH: Record<Mood, number> = {
  'very-sad': -14,
  sad: -8,
  neutral: 0,
  happy: 8,
  'very-happy': 14,
}

const FILL: Record<Mood, string> = {
  'very-sad': '#f4c7b8',
  sad: '#f7dcc0',
  neutral: '#f3e7b5',
  happy: '#d8ebb8',
  'very-happy': '#bfe3b4',
}

export function Face({
  mood,
  className,
  size = 64,
}: {
  mood: Mood
  className?: string
  size?: number
}) {
  const curve = MOUTH[mood]
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 64 64"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="32" cy="32" r="29" fill={FILL[mood]} stroke="#1b2a30" strokeWidth="3" />
      <circle cx="22" cy="25" r="4" fill="#1b2a30" />
      <circle cx="42" cy="25" r="4" fill="#1b2a30" />
      <path
        d={`M 18 ${44 - curve / 2} Q 32 ${44 + curve} 46 ${44 - curve / 2}`}
        fill="none"
        stroke="#1b2a30"
        strokeWidth="3.5"
        strokeLinecap="round"
      />
    </svg>
  )
}
