import type { TFunction } from 'i18next'
import { FACE_VALUES } from '../shared/faces.ts'
import { Face } from './Face.tsx'

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
