import type { TFunction } from 'i18next'
import { Face, type Mood } from './Face.tsx'

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

export function FaceChoice(props: {
  id: string
  label: string
  value: number | null
  onChoose: (value: number) => void
  t: TFunction
  textLang?: { lang: string; dir: 'ltr' | 'rtl' }
}) {
  const { id, label, value, onChoose, t } = props
  return (
    <fieldset className="face-choice" id={id}>
      <legend {...props.textLang}>{label}</legend>
      <div className="faces">
        {FACE_VALUES.map((f) => (
          <label key={f.mood} className={`face-button ${value === f.value ? 'is-chosen' : ''}`}>
            <input
              type="radio"
              name={id}
              value={f.value}
              checked={value === f.value}
              onChange={() => onChoose(f.value)}
              aria-label={t(`faces.${f.mood}`)}
            />
            <Face mood={f.mood} size={88} />
          </label>
        ))}
      </div>
    </fieldset>
  )
}
