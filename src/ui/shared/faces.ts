// The faces of the child forms, as data: client mode draws them with React, the remote page with
// the DOM, from the same numbers. Drawn by us, not taken from any form.

export type Mood = 'very-sad' | 'sad' | 'neutral' | 'happy' | 'very-happy'

// Mouth curvature per mood: negative frowns, positive smiles.
const MOUTH: Record<Mood, number> = {
  'very-sad': -14,
  sad: -8,
  neutral: 0,
  happy: 8,
  'very-happy': 14,
}

export const FACE_FILL: Record<Mood, string> = {
  'very-sad': '#f4c7b8',
  sad: '#f7dcc0',
  neutral: '#f3e7b5',
  happy: '#d8ebb8',
  'very-happy': '#bfe3b4',
}

/** The mouth's path in the face's 64x64 view box. */
export function mouthPath(mood: Mood): string {
  const curve = MOUTH[mood]
  return `M 18 ${44 - curve / 2} Q 32 ${44 + curve} 46 ${44 - curve / 2}`
}

// Five faces stored at the centres of five equal parts of the 0–10 line (young-child forms are
// unscored: the value is stored and shown, never used in statistics).
export const FACE_VALUES: readonly { mood: Mood; value: number }[] = [
  { mood: 'very-sad', value: 1 },
  { mood: 'sad', value: 3 },
  { mood: 'neutral', value: 5 },
  { mood: 'happy', value: 7 },
  { mood: 'very-happy', value: 9 },
]

export function moodForValue(value: number): Mood {
  return FACE_VALUES.reduce((best, f) =>
    Math.abs(f.value - value) < Math.abs(best.value - value) ? f : best,
  ).mood
}
