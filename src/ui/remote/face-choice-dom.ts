// The young-child forms' answer: five faces as radio buttons, like client mode's FaceChoice.
import { FACE_VALUES, type Mood } from '../shared/faces.ts'
import { h } from './dom.ts'
import { faceSvg } from './face-dom.ts'

export interface FaceChoiceView {
  element: HTMLElement
  set(value: number | null): void
}

export function faceChoice(o: {
  id: string
  label: string
  textLang: { lang: string; dir: 'ltr' | 'rtl' }
  value: number | null
  faceLabel: (mood: Mood) => string
  onChoose: (value: number) => void
}): FaceChoiceView {
  const buttons = FACE_VALUES.map((f) => {
    const input = h('input', {
      type: 'radio',
      name: o.id,
      value: f.value,
      'aria-label': o.faceLabel(f.mood),
    })
    input.addEventListener('change', () => o.onChoose(f.value))
    const label = h('label', { class: 'face-button' }, input, faceSvg(f.mood, 72))
    return { value: f.value, input, label }
  })
  const set = (value: number | null) => {
    for (const b of buttons) {
      b.input.checked = b.value === value
      b.label.classList.toggle('is-chosen', b.value === value)
    }
  }
  set(o.value)
  const element = h(
    'fieldset',
    { class: 'face-choice', id: o.id },
    h('legend', o.textLang, o.label),
    h('div', { class: 'faces' }, ...buttons.map((b) => b.label)),
  )
  return { element, set }
}
